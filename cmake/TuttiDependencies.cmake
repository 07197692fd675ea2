# Every dependency comes from a Debian package, found through its CMake config or pkg-config.
# Nothing is downloaded at build time.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(TBB REQUIRED)
find_package(hwy REQUIRED)
# Debian's xsimd target links a bare `xtl`, so xtl must be found first.
find_package(xtl REQUIRED)
find_package(xsimd REQUIRED)
# HDF5 is linked statically: Debian's shared libhdf5 pulls in libcurl for its S3 and HDFS
# drivers, and with it some thirty libraries (TLS, Kerberos, LDAP) that every tutti process
# would load and relocate at start-up though it never uses them (about 5 ms of the 30 ms a
# one-process-per-file render spends before its first note). The static archive brings only
# what tutti calls, plus its compression filters.
# FindHDF5 still lists libcurl and libcrypto among the archive's dependencies; linking
# --as-needed keeps a shared library only where something uses it.
set(HDF5_USE_STATIC_LIBRARIES ON)
# FindHDF5 caches the library it found: a build directory configured before the switch to the
# archive would otherwise keep linking the shared library without a word.
if(HDF5_C_LIBRARY_hdf5 AND NOT HDF5_C_LIBRARY_hdf5 MATCHES "\\.a$")
  get_cmake_property(tutti_cached_variables CACHE_VARIABLES)
  foreach(variable IN LISTS tutti_cached_variables)
    if(variable MATCHES "^HDF5_")
      unset(${variable} CACHE)
    endif()
  endforeach()
endif()
find_package(HDF5 REQUIRED COMPONENTS C)
if(NOT HDF5_C_LIBRARY_hdf5 MATCHES "\\.a$")
  message(FATAL_ERROR "HDF5: no static archive found (libhdf5-dev provides libhdf5.a); found ${HDF5_C_LIBRARY_hdf5}")
endif()
# The imported target names only the archive; the libraries it needs (zlib, szip) follow it.
set_property(TARGET hdf5::hdf5 APPEND PROPERTY INTERFACE_LINK_LIBRARIES ${HDF5_LIBRARIES})
add_link_options(LINKER:--as-needed)
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
