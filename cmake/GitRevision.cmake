# Run at every build (cmake -P, from bench/CMakeLists.txt): writes OUTPUT, a
# header defining POOLBENCH_GIT_REVISION as HEAD's short hash ("-dirty" with
# uncommitted changes to tracked files, "unknown" outside a git checkout).
# Read at configure time instead, a build remade with make alone kept the
# revision of its last configure, and its runs named code they did not run.
# The file is rewritten only when the revision changes, so an unchanged
# checkout recompiles nothing.
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE revision OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT revision)
  set(revision "unknown")
elseif(dirty)
  set(revision "${revision}-dirty")
endif()
set(content "#define POOLBENCH_GIT_REVISION \"${revision}\"\n")
set(old "")
if(EXISTS ${OUTPUT})
  file(READ ${OUTPUT} old)
endif()
if(NOT old STREQUAL content)
  file(WRITE ${OUTPUT} "${content}")
endif()
