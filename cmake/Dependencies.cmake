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
