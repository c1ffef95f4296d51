# Every external part, found with find_package or pkg-config. A missing one
# stops the configure step with the Debian package that provides it.
find_package(PkgConfig)
if(NOT PkgConfig_FOUND)
  message(FATAL_ERROR "pkg-config not found: apt-get install -y pkg-config")
endif()

function(pb_require_pkg target module debian)
  pkg_check_modules(${target} IMPORTED_TARGET ${module})
  if(NOT ${target}_FOUND)
    message(FATAL_ERROR "${module} not found: apt-get install -y ${debian}")
  endif()
endfunction()

find_package(OpenMP)
if(NOT OpenMP_C_FOUND)
  message(FATAL_ERROR "OpenMP not found: apt-get install -y libgomp1 (part of gcc) or use a compiler with OpenMP")
endif()

# The OpenMP runtime the suite runs on. LLVM's libomp by default: its parallel
# region costs 0.38 us at two threads and 0.10 us at one on the Zen 5 VM,
# libgomp's 2.2 and 1.07 (libgomp wakes the team with a futex syscall at every
# region's start and end, whether or not its threads are asleep). gcc's code
# calls the GOMP_* entry points, which libomp provides under libgomp's symbol
# versions, and since the executables link libomp directly, oneDNN's GOMP_*
# calls bind to it too: ours and oneDNN share one runtime and one thread pool.
# POOLBENCH_OPENMP_RUNTIME=compiler keeps the compiler's own runtime.
set(POOLBENCH_OPENMP_RUNTIME "libomp" CACHE STRING "OpenMP runtime: libomp (LLVM's) or compiler (the compiler's own)")
set_property(CACHE POOLBENCH_OPENMP_RUNTIME PROPERTY STRINGS libomp compiler)
if(NOT POOLBENCH_OPENMP_RUNTIME MATCHES "^(libomp|compiler)$")
  message(FATAL_ERROR "POOLBENCH_OPENMP_RUNTIME is '${POOLBENCH_OPENMP_RUNTIME}': expected libomp or compiler")
endif()
add_library(poolbench_openmp INTERFACE)
# clang's -fopenmp is libomp already; gcc's needs the swap.
if(POOLBENCH_OPENMP_RUNTIME STREQUAL "libomp" AND CMAKE_C_COMPILER_ID STREQUAL "GNU")
  file(GLOB PB_LLVM_LIBDIRS /usr/lib/llvm-*/lib)
  list(SORT PB_LLVM_LIBDIRS COMPARE NATURAL ORDER DESCENDING)
  find_library(PB_LIBOMP NAMES omp PATHS ${PB_LLVM_LIBDIRS})
  if(NOT PB_LIBOMP)
    message(FATAL_ERROR "LLVM's OpenMP runtime (libomp.so) not found: apt-get install -y libomp-dev "
                        "(or configure with -DPOOLBENCH_OPENMP_RUNTIME=compiler for the compiler's own)")
  endif()
  find_package(Threads REQUIRED)
  # OpenMP's compile flags, but not its link step: gcc linking with -fopenmp
  # or FindOpenMP's libraries would bring libgomp.
  target_compile_options(poolbench_openmp INTERFACE $<TARGET_PROPERTY:OpenMP::OpenMP_C,INTERFACE_COMPILE_OPTIONS>)
  target_link_libraries(poolbench_openmp INTERFACE ${PB_LIBOMP} Threads::Threads)
  message(STATUS "OpenMP runtime: ${PB_LIBOMP}")
else()
  target_link_libraries(poolbench_openmp INTERFACE OpenMP::OpenMP_C)
  message(STATUS "OpenMP runtime: the compiler's (${OpenMP_C_LIB_NAMES})")
endif()

pb_require_pkg(OPENBLAS openblas libopenblas-dev)
pb_require_pkg(HWLOC hwloc libhwloc-dev)
pb_require_pkg(PAPI papi libpapi-dev)
pb_require_pkg(JANSSON jansson libjansson-dev)
pb_require_pkg(GSL gsl libgsl-dev)
pb_require_pkg(CMOCKA cmocka libcmocka-dev)

find_package(benchmark QUIET)
if(NOT benchmark_FOUND)
  message(FATAL_ERROR "Google Benchmark not found: apt-get install -y libbenchmark-dev")
endif()

# oneDNN is the reference, but the library and the rest of the suite build
# without it; the registry then has no "onednn" row and says so at configure.
# Debian's oneDNN is built with the OpenCL GPU runtime, so its CMake config
# requires OpenCL and aborts configuration without it; ocl-icd-opencl-dev is
# only a Recommends of libdnnl-dev, which setup's --no-install-recommends skips.
if(EXISTS /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/cmake/dnnl/dnnl-config.cmake)
  find_package(OpenCL QUIET)
  if(NOT OpenCL_FOUND)
    message(FATAL_ERROR "oneDNN's CMake config needs OpenCL: apt-get install -y ocl-icd-opencl-dev")
  endif()
endif()
find_package(dnnl QUIET)
if(dnnl_FOUND)
  message(STATUS "oneDNN ${dnnl_VERSION} found: the onednn implementation is built")
  set(POOLBENCH_HAVE_DNNL ON)
else()
  message(WARNING "oneDNN not found (apt-get install -y libdnnl-dev): building without the onednn reference")
  set(POOLBENCH_HAVE_DNNL OFF)
endif()

find_path(VALGRIND_INCLUDE_DIR valgrind/callgrind.h)
if(NOT VALGRIND_INCLUDE_DIR)
  message(FATAL_ERROR "valgrind/callgrind.h not found: apt-get install -y valgrind")
endif()
