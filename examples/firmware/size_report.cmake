# Size of one generated model object, from arm-none-eabi-size and arm-none-eabi-nm:
#
#   cmake -DLIB=<libmodel.a> -DNAME=<c name> -DSIZE=<size tool> -DNM=<nm tool>
#         [-DHEADER=<generated NAME.h>] [-DOUT=<file>] -P size_report.cmake
#
# Writes one line to OUT (prints it without OUT):
#   model=<name> text=<t> data=<d> bss=<b> weights=<w> code=<t-w> arena=<a> functions=<f>
# text/data/bss: Berkeley format of `size` (text includes read-only data). weights: the
# constant tensors, i.e. the sizes of the symbols <name>_t<index> (nm -S), and their
# repacked forms <name>_op<index>_weights / _bias (fast kernels) and the tables computed from
# them (<name>_op<index>_table1/2: ADD; _table0: clustered weights; _weights_rows: sparse
# weights, tml_sparse_s8.h). code: text
# minus weights (machine code, operator parameters such as per-channel requantization
# multipliers and shifts, I/O descriptions). functions: the machine code alone (sizes of
# the function symbols). arena:
# <NAME>_ARENA_SIZE from the generated header.
cmake_minimum_required(VERSION 3.16)
foreach(var LIB NAME SIZE NM)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "size_report.cmake: -D${var}=... is required")
  endif()
endforeach()

execute_process(COMMAND "${SIZE}" -B "${LIB}" OUTPUT_VARIABLE size_out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "size_report.cmake: ${SIZE} ${LIB} failed")
endif()
# "   text    data     bss     dec     hex filename" then one line per object.
set(text 0)
set(data 0)
set(bss 0)
string(REPLACE "\n" ";" lines "${size_out}")
foreach(line IN LISTS lines)
  if(line MATCHES "^[ \t]*([0-9]+)[ \t]+([0-9]+)[ \t]+([0-9]+)[ \t]+[0-9]+")
    math(EXPR text "${text} + ${CMAKE_MATCH_1}")
    math(EXPR data "${data} + ${CMAKE_MATCH_2}")
    math(EXPR bss "${bss} + ${CMAKE_MATCH_3}")
  endif()
endforeach()

execute_process(COMMAND "${NM}" -S "${LIB}" OUTPUT_VARIABLE nm_out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "size_report.cmake: ${NM} ${LIB} failed")
endif()
set(weights 0)
set(functions 0)
string(REPLACE "\n" ";" lines "${nm_out}")
foreach(line IN LISTS lines)
  if(line MATCHES "^[0-9a-fA-F]+ ([0-9a-fA-F]+) [rRdD] ${NAME}_(t[0-9]+|op[0-9]+_(weights|weights_rows|bias|table[0-9]))$")
    math(EXPR weights "${weights} + 0x${CMAKE_MATCH_1}")
  elseif(line MATCHES "^[0-9a-fA-F]+ ([0-9a-fA-F]+) [tT] ")
    math(EXPR functions "${functions} + 0x${CMAKE_MATCH_1}")
  endif()
endforeach()
math(EXPR code "${text} - ${weights}")

set(arena "?")
if(DEFINED HEADER AND EXISTS "${HEADER}")
  string(TOUPPER "${NAME}" macro)
  file(STRINGS "${HEADER}" defs REGEX "^#define ${macro}_ARENA_SIZE ")
  if(defs MATCHES "ARENA_SIZE ([0-9]+)")
    set(arena ${CMAKE_MATCH_1})
  endif()
endif()

set(report "model=${NAME} text=${text} data=${data} bss=${bss} weights=${weights} code=${code} arena=${arena} functions=${functions}")
if(DEFINED OUT AND NOT OUT STREQUAL "")
  file(WRITE "${OUT}" "${report}\n")
else()
  message("${report}")
endif()
