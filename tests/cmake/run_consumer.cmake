# Configures, builds and runs one consumer project of tinymlc (tests/cmake/<mode>/), and
# checks that add_tinyml_model() regenerates the C sources when the model or tinymlc
# changes.
#
#   cmake -DPROJECT=<consumer source dir> -DBINARY_DIR=<dir> -DMODEL=<a.tflite>
#         -DREFERENCE=<exe printing the expected "case z out" lines for a.tflite>
#         [-DREGEN_MODEL=<b.tflite> -DREGEN_REFERENCE=<exe for b.tflite>]
#         [-DTOUCH=<file whose change must regenerate, e.g. the tinymlc executable>]
#         [-DTOOLCHAIN=<toolchain file> -DQEMU=<qemu-system-arm> -DTIMEOUT_TOOL=<timeout>]
#         [-DPREFIX=<install prefix for find_package>] [-DSOURCE_DIR=<tinymlc sources>]
#         [-DTARBALL_FROM=<tinymlc sources to pack for FetchContent>]
#         [-DHOST_TINYMLC=<host tinymlc for cross builds>] [-DGENERATOR=<name>] -P run_consumer.cmake
#   cmake -DINSTALL_BUILD=<tinymlc build dir> -DPREFIX=<dir> -P run_consumer.cmake
#         (only installs the package into a fresh PREFIX)
#   cmake -DPROJECT=<dir> -DBINARY_DIR=<dir> -DRUN=<program in BINARY_DIR> [-DPREFIX=...]
#         -P run_consumer.cmake   (an example project: build it, run it, expect status 0)
cmake_minimum_required(VERSION 3.16)

function(run what)
  execute_process(COMMAND ${ARGN} INPUT_FILE /dev/null RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

if(DEFINED INSTALL_BUILD)
  file(REMOVE_RECURSE "${PREFIX}")
  run("cmake --install" ${CMAKE_COMMAND} --install "${INSTALL_BUILD}" --prefix "${PREFIX}")
  foreach(f bin/tinymlc include/tinymlc/tinyml_runtime.h lib/cmake/tinymlc/tinymlcConfig.cmake
            lib/cmake/tinymlc/tinymlcConfigVersion.cmake lib/cmake/tinymlc/TinymlcModel.cmake
            lib/cmake/tinymlc/arm-none-eabi.cmake lib/cmake/tinymlc/board/startup.c)
    if(NOT EXISTS "${PREFIX}/${f}")
      message(FATAL_ERROR "the installed package lacks ${f}")
    endif()
  endforeach()
  message("installed the tinymlc package into ${PREFIX}")
  return()
endif()

if(DEFINED RUN)
  set(required PROJECT BINARY_DIR)
else()
  set(required PROJECT BINARY_DIR MODEL REFERENCE)
endif()
foreach(var IN LISTS required)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_consumer.cmake: -D${var}=... is required")
  endif()
endforeach()

set(args -S "${PROJECT}" -B "${BINARY_DIR}")
if(NOT DEFINED RUN)
  # The model lives in a copy that the test edits (replaces) to check regeneration.
  set(work_model "${BINARY_DIR}-model/model.tflite")
  file(MAKE_DIRECTORY "${BINARY_DIR}-model")
  run("copying the model" ${CMAKE_COMMAND} -E copy "${MODEL}" "${work_model}")
  list(APPEND args "-DMODEL=${work_model}")
endif()
if(DEFINED GENERATOR AND NOT GENERATOR STREQUAL "")
  list(APPEND args -G "${GENERATOR}")
endif()
if(DEFINED TOOLCHAIN)
  list(APPEND args "-DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN}")
endif()
if(DEFINED PREFIX)
  list(APPEND args "-DCMAKE_PREFIX_PATH=${PREFIX}")
endif()
if(DEFINED SOURCE_DIR)
  list(APPEND args "-DTINYMLC_SOURCE_DIR=${SOURCE_DIR}")
endif()
if(DEFINED HOST_TINYMLC)
  list(APPEND args "-DTINYMLC_HOST_TINYMLC=${HOST_TINYMLC}")
endif()
if(DEFINED TARBALL_FROM)
  # A source archive of the repository, as a release would ship it.
  get_filename_component(repo_name "${TARBALL_FROM}" NAME)
  get_filename_component(repo_parent "${TARBALL_FROM}" DIRECTORY)
  set(entries "")
  foreach(e CMakeLists.txt README.md cmake compiler runtime_stub templates)
    if(EXISTS "${TARBALL_FROM}/${e}")
      list(APPEND entries "${repo_name}/${e}")
    endif()
  endforeach()
  set(tarball "${BINARY_DIR}-model/tinymlc-src.tar.gz")
  execute_process(COMMAND ${CMAKE_COMMAND} -E tar czf "${tarball}" ${entries}
                  WORKING_DIRECTORY "${repo_parent}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "packing ${TARBALL_FROM} failed")
  endif()
  file(REMOVE_RECURSE "${BINARY_DIR}/_deps")  # fetch the fresh archive
  list(APPEND args "-DTINYMLC_URL=file://${tarball}")
endif()

run("configuring ${PROJECT}" ${CMAKE_COMMAND} ${args})

if(DEFINED RUN)
  run("building ${PROJECT}" ${CMAKE_COMMAND} --build "${BINARY_DIR}" --parallel 2)
  run("running ${RUN}" "${BINARY_DIR}/${RUN}")
  message("${RUN}:\n${run_output}")
  return()
endif()

function(build_and_check label reference)
  run("building (${label})" ${CMAKE_COMMAND} --build "${BINARY_DIR}" --parallel 2)
  set(build_output "${run_output}" PARENT_SCOPE)
  if(DEFINED TOOLCHAIN)
    set(cmd "${QEMU}" -M mps2-an386 -nographic -semihosting-config enable=on,target=native
            -kernel "${BINARY_DIR}/consumer.elf")
    if(DEFINED TIMEOUT_TOOL AND NOT TIMEOUT_TOOL STREQUAL "")
      set(cmd "${TIMEOUT_TOOL}" -k 5 60 ${cmd})
    endif()
  else()
    set(cmd "${BINARY_DIR}/consumer")
  endif()
  run("running the consumer (${label})" ${cmd})
  string(REGEX MATCHALL "case z out [0-9]+ [0-9a-f]*" got "${run_output}")
  run("running the reference ${reference}" "${reference}")
  string(REGEX MATCHALL "case z out [0-9]+ [0-9a-f]*" want "${run_output}")
  if(NOT got OR NOT got STREQUAL want)
    message(FATAL_ERROR "${label}: the consumer printed\n  ${got}\nexpected (${reference})\n  ${want}")
  endif()
  message("${label}: ${got}")
endfunction()

set(regen_regex "tinymlc: compiling")
build_and_check("first build" "${REFERENCE}")

if(DEFINED REGEN_MODEL)
  build_and_check("rebuild, nothing changed" "${REFERENCE}")
  if(build_output MATCHES "${regen_regex}")
    message(FATAL_ERROR "a build without changes ran tinymlc again:\n${build_output}")
  endif()
  run("replacing the model" ${CMAKE_COMMAND} -E copy "${REGEN_MODEL}" "${work_model}")
  build_and_check("rebuild after replacing the .tflite" "${REGEN_REFERENCE}")
  if(NOT build_output MATCHES "${regen_regex}")
    message(FATAL_ERROR "replacing the model did not run tinymlc:\n${build_output}")
  endif()
endif()

if(DEFINED TOUCH)
  file(TOUCH "${TOUCH}")
  run("building after touching ${TOUCH}" ${CMAKE_COMMAND} --build "${BINARY_DIR}" --parallel 2)
  if(NOT run_output MATCHES "${regen_regex}")
    message(FATAL_ERROR "touching ${TOUCH} did not run tinymlc:\n${run_output}")
  endif()
  message("touching ${TOUCH} regenerated the model sources")
endif()
