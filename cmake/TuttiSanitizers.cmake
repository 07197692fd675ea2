# Sanitizer and fuzzing builds. Both instrument every target (libraries included, so the code
# under test is checked, not only the test programs) and live in their own build folders:
#   make test-sanitize  ->  build-asan/  with -DTUTTI_SANITIZE=address,undefined
#   make fuzz           ->  build-fuzz/  with clang and -DTUTTI_FUZZ=ON (tests/fuzz)
# The default build sets neither and is unaffected.

set(TUTTI_SANITIZE "" CACHE STRING
    "Sanitizers for every target, as -fsanitize takes them (e.g. address,undefined)")
option(TUTTI_FUZZ "Build the libFuzzer targets of tests/fuzz (clang only; implies ASan+UBSan)" OFF)
# Highway compiles every kernel once per x86 target. A sanitizer build can leave out the targets
# it will not run (AVX3 on machines without AVX-512) to save build time: e.g. HWY_AVX3.
set(TUTTI_HWY_DISABLED_TARGETS "" CACHE STRING
    "Highway targets not to compile (HWY_DISABLED_TARGETS), e.g. HWY_AVX3; empty keeps all")

if(TUTTI_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "TUTTI_FUZZ needs clang (libFuzzer); configure with "
                        "-DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang")
  endif()
  if(NOT TUTTI_SANITIZE)
    set(TUTTI_SANITIZE "address,undefined" CACHE STRING "" FORCE)
  endif()
  # Coverage instrumentation everywhere; only the fuzz targets link libFuzzer's main().
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(TUTTI_SANITIZE)
  set(tutti_sanitizer_flags -fsanitize=${TUTTI_SANITIZE} -fno-omit-frame-pointer
      -fno-sanitize-recover=all)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND TUTTI_SANITIZE MATCHES "undefined")
    # GCC leaves float-to-integer overflow out of `undefined` (clang includes it). Untrusted
    # generator values and tempos turn into integers through such casts, so check them too.
    list(APPEND tutti_sanitizer_flags -fsanitize=float-cast-overflow)
  endif()
  if(TUTTI_SANITIZE MATCHES "undefined")
    # oneTBB's flow graph (graph/) recycles task objects and downcasts them in its headers; UBSan's
    # vptr check reports each downcast ("does not point to an object of type
    # 'forward_task_bypass'") in code that is TBB's, not ours. tutti's own classes use no
    # downcasts, so the check has nothing else to find here.
    list(APPEND tutti_sanitizer_flags -fno-sanitize=vptr)
  endif()
  add_compile_options(${tutti_sanitizer_flags})
  add_link_options(${tutti_sanitizer_flags})
  message(STATUS "tutti: sanitizers ${TUTTI_SANITIZE} on every target")
endif()

if(TUTTI_HWY_DISABLED_TARGETS)
  add_compile_definitions(HWY_DISABLED_TARGETS=${TUTTI_HWY_DISABLED_TARGETS})
  message(STATUS "tutti: Highway targets ${TUTTI_HWY_DISABLED_TARGETS} not compiled")
endif()
