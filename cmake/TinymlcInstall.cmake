# Install rules of the tinymlc package (included by the top-level CMakeLists.txt):
#   bin/tinymlc
#   include/tinymlc/tinyml_runtime.h
#   lib/cmake/tinymlc/  tinymlcConfig.cmake, tinymlcConfigVersion.cmake,
#                       tinymlcTargets*.cmake (imported target tinymlc::tinymlc),
#                       TinymlcModel.cmake (add_tinyml_model), TinymlcBoard.cmake and
#                       board/ (tinymlc_target_board), arm-none-eabi.cmake (toolchain)
# Consumers: find_package(tinymlc CONFIG REQUIRED) with CMAKE_PREFIX_PATH=<prefix>.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(TINYMLC_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/tinymlc" CACHE STRING
    "Where the tinymlc CMake package goes, relative to the install prefix")
set(TINYMLC_INSTALL_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}/tinymlc")

install(TARGETS tinymlc EXPORT tinymlcTargets RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${TINYMLC_ROOT}/runtime_stub/tinyml_runtime.h DESTINATION ${TINYMLC_INSTALL_INCLUDEDIR})
install(EXPORT tinymlcTargets NAMESPACE tinymlc:: DESTINATION ${TINYMLC_INSTALL_CMAKEDIR})

configure_package_config_file(
  ${TINYMLC_ROOT}/cmake/tinymlcConfig.cmake.in ${PROJECT_BINARY_DIR}/tinymlcConfig.cmake
  INSTALL_DESTINATION ${TINYMLC_INSTALL_CMAKEDIR}
  PATH_VARS TINYMLC_INSTALL_INCLUDEDIR)
# ARCH_INDEPENDENT: the package holds a build-machine tool, so a cross-compiling
# (32-bit) consumer may use it.
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/tinymlcConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES
  ${PROJECT_BINARY_DIR}/tinymlcConfig.cmake
  ${PROJECT_BINARY_DIR}/tinymlcConfigVersion.cmake
  ${TINYMLC_ROOT}/cmake/TinymlcModel.cmake
  ${TINYMLC_ROOT}/cmake/TinymlcBoard.cmake
  ${TINYMLC_ROOT}/cmake/arm-none-eabi.cmake
  DESTINATION ${TINYMLC_INSTALL_CMAKEDIR})
install(DIRECTORY ${TINYMLC_ROOT}/cmake/board DESTINATION ${TINYMLC_INSTALL_CMAKEDIR})
