# tinymlc_target_board(): turn an executable into a bare-metal firmware for one of QEMU's
# Arm Cortex-M boards, with tinymlc's own startup code, linker script and semihosting
# console (cmake/board/). Cross-compile with cmake/arm-none-eabi.cmake and a matching
# TINYMLC_ARM_CPU.
#
#   tinymlc_target_board(<executable> BOARD <board> [STACK_SIZE <bytes>])
#
#   board        QEMU machine   CPU (TINYMLC_ARM_CPU)   memory used
#   mps2-an386   mps2-an386     cortex-m4               code+rodata 4 MiB @0x0, RAM 4 MiB @0x20000000
#   mps2-an500   mps2-an500     cortex-m7               same map as the AN386
#   mps3-an547   mps3-an547     cortex-m55              code 512 KiB ITCM, rodata 2 MiB SRAM, RAM 512 KiB DTCM
#
# The executable keeps an ordinary `int main(void)`: its return value becomes QEMU's exit
# status. Console output: tinymlc_board_write()/tinymlc_board_puts() (tinymlc_board.h,
# on the include path) or printf() (newlib stdio, routed to semihosting). Run it with
#   qemu-system-arm -M <board> -nographic -semihosting-config enable=on,target=native \
#                   -kernel <executable>.elf
# The stack (STACK_SIZE, default 64 KiB) sits at the top of RAM.
include_guard(GLOBAL)

set_property(GLOBAL PROPERTY TINYMLC_BOARD_DIR "${CMAKE_CURRENT_LIST_DIR}/board")

function(tinymlc_board_cpu board out_cpu)
  if(board STREQUAL "mps2-an386")
    set(${out_cpu} cortex-m4 PARENT_SCOPE)
  elseif(board STREQUAL "mps2-an500")
    set(${out_cpu} cortex-m7 PARENT_SCOPE)
  elseif(board STREQUAL "mps3-an547")
    set(${out_cpu} cortex-m55 PARENT_SCOPE)
  else()
    message(FATAL_ERROR "tinymlc: unknown board '${board}' (known: mps2-an386, mps2-an500, mps3-an547)")
  endif()
endfunction()

function(tinymlc_target_board target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "BOARD;STACK_SIZE" "")
  if(ARG_UNPARSED_ARGUMENTS OR NOT ARG_BOARD)
    message(FATAL_ERROR "usage: tinymlc_target_board(<executable> BOARD <board> [STACK_SIZE <bytes>])")
  endif()
  tinymlc_board_cpu(${ARG_BOARD} cpu)
  if(NOT CMAKE_CROSSCOMPILING OR NOT CMAKE_C_COMPILER_ID STREQUAL "GNU")
    message(FATAL_ERROR "tinymlc_target_board(${target}): needs a GNU Arm cross compiler; "
                        "configure with -DCMAKE_TOOLCHAIN_FILE=<tinymlc>/cmake/arm-none-eabi.cmake")
  endif()
  if(DEFINED TINYMLC_ARM_CPU AND NOT TINYMLC_ARM_CPU STREQUAL cpu)
    message(WARNING "tinymlc_target_board(${target}): board ${ARG_BOARD} has a ${cpu}, "
                    "but the code is built for ${TINYMLC_ARM_CPU} (TINYMLC_ARM_CPU)")
  endif()
  get_property(dir GLOBAL PROPERTY TINYMLC_BOARD_DIR)

  # Startup and semihosting objects, compiled once per project with its CPU flags.
  if(NOT TARGET tinymlc_board_support)
    add_library(tinymlc_board_support OBJECT
                "${dir}/startup.c" "${dir}/semihost.c" "${dir}/syscalls.c")
    target_include_directories(tinymlc_board_support PUBLIC "${dir}")
    set_target_properties(tinymlc_board_support PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON)
  endif()
  target_link_libraries(${target} PRIVATE tinymlc_board_support)
  target_link_options(${target} PRIVATE -nostartfiles "-L${dir}" "-T${dir}/${ARG_BOARD}.ld")
  if(ARG_STACK_SIZE)
    target_link_options(${target} PRIVATE "-Wl,--defsym=__stack_size__=${ARG_STACK_SIZE}")
  endif()
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS
               "${dir}/${ARG_BOARD}.ld" "${dir}/cortexm.ld")
  set_target_properties(${target} PROPERTIES TINYMLC_BOARD "${ARG_BOARD}")
endfunction()
