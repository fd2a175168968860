# Configures and builds examples/firmware for one board (a cross build inside the test
# run; tinymlc comes from the host build through TINYMLC_HOST_TINYMLC).
#
#   cmake -DSOURCE_DIR=<examples/firmware> -DBINARY_DIR=<dir> -DTOOLCHAIN=<file>
#         -DCPU=<cortex-mN> -DBOARD=<board> -DOPT=<-Os|-O2> -DHOST_TINYMLC=<exe>
#         -DSHARED_DIR=<../shared> [-DGENERATOR=<name>] [-DJOBS=<n>]
#         [-DMODELS=<a.tflite|b.tflite|...>] [-DCOMPILE_OPTIONS=<tinymlc flags>]
#         -P build_firmware.cmake
# MODELS ('|'-separated): the models to build (default: the firmware's own list).
# COMPILE_OPTIONS: more `tinymlc compile` flags for every model (e.g. "--sparse force").
cmake_minimum_required(VERSION 3.16)
foreach(var SOURCE_DIR BINARY_DIR TOOLCHAIN CPU BOARD OPT HOST_TINYMLC SHARED_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "build_firmware.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT DEFINED JOBS)
  set(JOBS 2)
endif()
set(generator_args "")
if(DEFINED GENERATOR AND NOT GENERATOR STREQUAL "")
  set(generator_args -G "${GENERATOR}")
endif()

set(models_arg "")
if(DEFINED MODELS AND NOT MODELS STREQUAL "")
  # One argument: the list's separators escaped.
  string(REPLACE "|" "\\;" model_list "${MODELS}")
  set(models_arg "-DTINYMLC_FW_MODELS=${model_list}")
endif()

# The same optimization flags in every build type would hide a choice: use the named
# level through the Release flags.
execute_process(
  COMMAND ${CMAKE_COMMAND} -S "${SOURCE_DIR}" -B "${BINARY_DIR}" ${generator_args}
          "-DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN}" "-DTINYMLC_ARM_CPU=${CPU}"
          "-DTINYMLC_FW_BOARD=${BOARD}" "-DTINYMLC_HOST_TINYMLC=${HOST_TINYMLC}"
          "-DTINYMLC_SHARED_DIR=${SHARED_DIR}" -DCMAKE_BUILD_TYPE=Release ${models_arg}
          "-DTINYMLC_FW_COMPILE_OPTIONS=${COMPILE_OPTIONS}"
          "-DCMAKE_C_FLAGS_RELEASE=${OPT} -DNDEBUG"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring the ${BOARD} firmware failed:\n${out}")
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} --build "${BINARY_DIR}" --parallel ${JOBS}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "building the ${BOARD} firmware failed:\n${out}")
endif()
message("built the ${BOARD} firmware (${CPU}, ${OPT}) in ${BINARY_DIR}")
