# Project-wide compile settings and the helpers every folder uses.

# Contraction into fused multiply-add is chosen explicitly in kernels (MulAdd), never by the
# compiler, so that a given backend and target always computes the same bits.
set(TUTTI_COMMON_OPTIONS -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
    -ffp-contract=off)

# The libraries are optimized at -O3 in the optimized builds (CMake's RelWithDebInfo and Release
# say -O2): the renders are unchanged, bit for bit, and took 0.6-3.0% less CPU time on the OpenTTD
# files (three A/B runs, alternating per file, least of 3-4). Placed after CMake's flags, so it
# is the -O that counts.
set(TUTTI_LIBRARY_OPTIMIZATION $<$<CONFIG:RelWithDebInfo,Release>:-O3>)

# add_tutti_library(NAME SOURCES... [DEPS ...]): a static library with the project's options,
# an ALIAS tutti::NAME, and the project root as include root (headers are included as
# "engine/midi/smf_reader.h").
function(add_tutti_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(tutti_${name} STATIC ${ARG_SOURCES})
  add_library(tutti::${name} ALIAS tutti_${name})
  target_include_directories(tutti_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_compile_options(tutti_${name} PRIVATE ${TUTTI_COMMON_OPTIONS} ${TUTTI_LIBRARY_OPTIMIZATION})
  target_link_libraries(tutti_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()

# add_tutti_test(NAME SOURCES... [DEPS ...] [LABELS ...] [TIMEOUT s] [FIXTURES ...]): one
# GoogleTest binary, registered with ctest per test case. Label `parity` needs FluidSynth,
# `heavy` is left out of the default run. FIXTURES names ctest fixtures the tests require.
function(add_tutti_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS;LABELS;FIXTURES" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${TUTTI_COMMON_OPTIONS} -Wno-conversion)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  set(fixture_properties)
  if(ARG_FIXTURES)
    set(fixture_properties FIXTURES_REQUIRED "${ARG_FIXTURES}")
  endif()
  gtest_discover_tests(${name}
    WORKING_DIRECTORY ${PROJECT_BINARY_DIR}
    PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT} ${fixture_properties}
    DISCOVERY_TIMEOUT 60)
endfunction()
