# Cross-builds examples/audio_frontend for the Cortex-M4 (-Os), runs it on QEMU's
# mps2-an386 and compares its output with EXPECTED line for line.
cmake_minimum_required(VERSION 3.16)
set(generator_args "")
if(DEFINED GENERATOR AND NOT GENERATOR STREQUAL "")
  set(generator_args -G "${GENERATOR}")
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} -S "${SOURCE_DIR}" -B "${BINARY_DIR}" ${generator_args}
          "-DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN}" -DTINYMLC_ARM_CPU=cortex-m4
          "-DTINYMLC_HOST_TINYMLC=${HOST_TINYMLC}" -DCMAKE_BUILD_TYPE=MinSizeRel
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring the example failed:\n${out}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build "${BINARY_DIR}" -j2 --target audio_frontend
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "building the example failed:\n${out}")
endif()
execute_process(
  COMMAND "${QEMU}" -M mps2-an386 -nographic -semihosting-config enable=on,target=native
          -kernel "${BINARY_DIR}/audio_frontend.elf"
  RESULT_VARIABLE rc OUTPUT_VARIABLE got ERROR_VARIABLE got TIMEOUT 300)
message("${got}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the example exited with ${rc}")
endif()
file(READ "${EXPECTED}" want)
string(REPLACE "done errors=0\n" "" got_lines "${got}")
if(NOT got_lines STREQUAL want)
  message(FATAL_ERROR "the Cortex-M4 output differs from TFLM's (${EXPECTED}):\n${want}")
endif()
message("every clip identical with TFLM (features checksum, scores, label)")
