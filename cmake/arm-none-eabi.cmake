# CMake toolchain file for bare-metal Arm Cortex-M with the GNU Arm Embedded toolchain
# (Debian: gcc-arm-none-eabi, libnewlib-arm-none-eabi).
#
#   cmake -S . -B build-m4 -DCMAKE_TOOLCHAIN_FILE=<tinymlc>/cmake/arm-none-eabi.cmake
#   cmake -S . -B build-m7 -DCMAKE_TOOLCHAIN_FILE=... -DTINYMLC_ARM_CPU=cortex-m7
#
# Cache variables:
#   TINYMLC_ARM_CPU        -mcpu value (default cortex-m4). Tested: cortex-m4 (QEMU
#                          mps2-an386), cortex-m7 (mps2-an500), cortex-m55 (mps3-an547).
#   TINYMLC_ARM_FLOAT_ABI  hard (default), softfp or soft. The FPU (and MVE on
#                          cortex-m55) follows from the CPU (-mfpu=auto); cores without an
#                          FPU (cortex-m0/m0plus/m3/m23) always use soft.
#   TINYMLC_ARM_TOOLCHAIN_PREFIX  compiler prefix (default arm-none-eabi-), may be a path.
#
# Sets C/C++ flags for the CPU, -ffunction-sections -fdata-sections and
# -Wl,--gc-sections, and the executable suffix .elf. Linking (startup code, linker script)
# is the job of the project: see tinymlc_target_board() in TinymlcBoard.cmake.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(TINYMLC_ARM_CPU "cortex-m4" CACHE STRING "Arm CPU (-mcpu)")
set(TINYMLC_ARM_FLOAT_ABI "hard" CACHE STRING "Float ABI: hard, softfp or soft")
set_property(CACHE TINYMLC_ARM_FLOAT_ABI PROPERTY STRINGS hard softfp soft)
set(TINYMLC_ARM_TOOLCHAIN_PREFIX "arm-none-eabi-" CACHE STRING "Prefix of the GNU Arm tools")
# try_compile() projects read this file again: hand the settings down.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES
     TINYMLC_ARM_CPU TINYMLC_ARM_FLOAT_ABI TINYMLC_ARM_TOOLCHAIN_PREFIX)

set(CMAKE_C_COMPILER ${TINYMLC_ARM_TOOLCHAIN_PREFIX}gcc)
set(CMAKE_CXX_COMPILER ${TINYMLC_ARM_TOOLCHAIN_PREFIX}g++)
set(CMAKE_ASM_COMPILER ${TINYMLC_ARM_TOOLCHAIN_PREFIX}gcc)
find_program(CMAKE_OBJCOPY ${TINYMLC_ARM_TOOLCHAIN_PREFIX}objcopy)
find_program(CMAKE_SIZE ${TINYMLC_ARM_TOOLCHAIN_PREFIX}size)
find_program(CMAKE_NM ${TINYMLC_ARM_TOOLCHAIN_PREFIX}nm)

# Without startup code and a linker script a test executable cannot link.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(_tinymlc_abi ${TINYMLC_ARM_FLOAT_ABI})
if(TINYMLC_ARM_CPU MATCHES "^cortex-m(0|0plus|1|3|23)$")
  set(_tinymlc_abi soft)
endif()
set(_tinymlc_arch_flags "-mcpu=${TINYMLC_ARM_CPU} -mthumb -mfloat-abi=${_tinymlc_abi}")
if(NOT _tinymlc_abi STREQUAL "soft")
  string(APPEND _tinymlc_arch_flags " -mfpu=auto")
endif()

set(CMAKE_C_FLAGS_INIT "${_tinymlc_arch_flags} -ffunction-sections -fdata-sections")
set(CMAKE_CXX_FLAGS_INIT "${_tinymlc_arch_flags} -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "${_tinymlc_arch_flags}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${_tinymlc_arch_flags} -Wl,--gc-sections")
set(CMAKE_EXECUTABLE_SUFFIX_C .elf)
set(CMAKE_EXECUTABLE_SUFFIX_CXX .elf)
set(CMAKE_EXECUTABLE_SUFFIX_ASM .elf)

# Programs (such as a host tinymlc) come from the host; libraries and headers only from
# the toolchain; packages from both (find_package(tinymlc) finds the host tool package).
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
