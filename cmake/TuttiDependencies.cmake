# Every dependency comes from a Debian package, found through its CMake config or pkg-config.
# Nothing is downloaded at build time.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(TBB REQUIRED)
find_package(hwy REQUIRED)
# Debian's xsimd target links a bare `xtl`, so xtl must be found first.
find_package(xtl REQUIRED)
find_package(xsimd REQUIRED)
find_package(HDF5 REQUIRED COMPONENTS C)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(fmt REQUIRED)
# SHA-256 of inputs and banks for manifests and resume (libssl-dev).
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
pkg_check_modules(KISSFFT REQUIRED IMPORTED_TARGET kissfft-float)
pkg_check_modules(SNDFILE REQUIRED IMPORTED_TARGET sndfile)
if(TUTTI_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(TUTTI_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
