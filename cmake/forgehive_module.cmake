# forgehive_module(NAME SOURCES ... DEPENDS ...): one static library per module (DESIGN.md §2).
# A module links only the modules below it: a lower module that calls upward fails to link in its
# own unit tests, which link that module alone. (Headers share one include tree.)
function(forgehive_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
  add_library(fh_${name} STATIC ${ARG_SOURCES})
  add_library(forgehive::${name} ALIAS fh_${name})
  target_include_directories(fh_${name}
    PUBLIC ${PROJECT_SOURCE_DIR}/include
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(fh_${name} PUBLIC ${ARG_DEPENDS})
  forgehive_warnings(fh_${name})
endfunction()

# Project code is warning-free; third-party headers come in as SYSTEM through their imported targets.
# -Wmismatched-new-delete is off: GCC 12 reports a false positive on every Asio coroutine frame
# (awaitable_frame_base's class-specific operator new/delete) when the sanitizers are on.
function(forgehive_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror -Wno-mismatched-new-delete)
endfunction()
