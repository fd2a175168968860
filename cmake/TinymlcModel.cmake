# add_tinyml_model(): compile a TFLite model to C at build time and wrap the generated
# sources in a static library.
#
#   add_tinyml_model(<target> MODEL <file.tflite>... [NAME <c_name>...] [OUTPUT_DIR <dir>]
#                    [WEIGHTS_SECTION <section>] [ARENA_SECTION <section>] [ALIGN <n>]
#                    [OPTIMIZE balanced|speed|size|ram] [MEMORY_BUDGET <bytes>]
#                    [WEIGHTS_FILE] [EXTERNAL_ARENA] [EXTERNAL_INPUT] [FLOAT_IO] [PROFILE]
#                    [CALIBRATION <dir>] [OPTIONS <extra tinymlc flags>...])
#
# Adds a custom command that runs `tinymlc compile <file.tflite> -o <dir> --name <c_name>
# <options>` and a C static library <target> built from <dir>/<c_name>.c, with <dir> as
# its PUBLIC include directory: link it and `#include "<c_name>.h"`. The command depends
# on the model file and on the tinymlc executable, so editing either regenerates the C
# sources on the next build.
#
#   MODEL       path of the .tflite file (relative paths: to CMAKE_CURRENT_SOURCE_DIR);
#               several files: one library with every model (<c_name>.c each) and their
#               kernels compiled once in <dir>/tinyml_kernels.c (`tinymlc compile a.tflite
#               b.tflite ...`, README "Several models in one firmware")
#   NAME        C identifier prefixed to every generated symbol (default: the model
#               file's name without extension, made into a C identifier); with several
#               models, one per model in the same order
#   OUTPUT_DIR  folder of the generated files (default:
#               ${CMAKE_CURRENT_BINARY_DIR}/tinymlc/<target>; relative paths: to
#               CMAKE_CURRENT_BINARY_DIR)
#   WEIGHTS_SECTION, ARENA_SECTION, ALIGN, WEIGHTS_FILE, EXTERNAL_ARENA, FLOAT_IO, PROFILE
#               the firmware options --weights-section, --arena-section, --align,
#               --weights-file (<dir>/<c_name>_weights.c is then compiled into the
#               library too), --arena external, --float-io, --profile (README "Using
#               tinymlc in firmware")
#   OPTIMIZE    --optimize: balanced (default: the kernels' fast paths unless the C
#               compiler optimizes for size), speed (always the fast paths), size, or
#               ram (the smallest arena: patch-based execution of the first layers)
#   MEMORY_BUDGET --memory-budget: the patch plan with the fewest extra MACs whose arena
#               fits in this many bytes (the build fails, naming the smallest reachable
#               arena, when none does)
#   EXTERNAL_INPUT --input external: the model reads its input from the application's
#               buffer (NAME_set_input_buffer()); the arena leaves it out
#   CALIBRATION a float32 MODEL is quantized to int8 by tinymlc itself with the calibration
#               inputs of this folder (`tinymlc compile --calibration <dir>`, README
#               "Quantization inside tinymlc"; relative paths: to CMAKE_CURRENT_SOURCE_DIR;
#               its files are dependencies; --calibrate, --int8-io ... go in OPTIONS); one
#               MODEL only
#   OPTIONS     more arguments for `tinymlc compile` (a --weights-file here also adds
#               <c_name>_weights.c to the library)
#
# Which tinymlc runs: the target tinymlc::tinymlc. It is the tinymlc built by this
# source tree (add_subdirectory / FetchContent), the installed one (find_package), or,
# when the source tree is configured with -DTINYMLC_HOST_TINYMLC=<path>, that executable
# (needed when cross-compiling: tinymlc must run on the build machine).
include_guard(GLOBAL)

function(_tinymlc_executable out_exe out_depends)
  if(NOT TARGET tinymlc::tinymlc)
    message(FATAL_ERROR
      "add_tinyml_model: no tinymlc::tinymlc target. Use find_package(tinymlc CONFIG) or "
      "add_subdirectory()/FetchContent of the tinymlc sources before calling it.")
  endif()
  get_target_property(aliased tinymlc::tinymlc ALIASED_TARGET)
  if(aliased)
    # Built in this project: depend on the target (build order and file level).
    set(${out_exe} "$<TARGET_FILE:${aliased}>" PARENT_SCOPE)
    set(${out_depends} "${aliased}" PARENT_SCOPE)
  else()
    # Imported (installed package or TINYMLC_HOST_TINYMLC): depend on the file.
    set(${out_exe} "$<TARGET_FILE:tinymlc::tinymlc>" PARENT_SCOPE)
    set(${out_depends} "$<TARGET_FILE:tinymlc::tinymlc>" PARENT_SCOPE)
  endif()
endfunction()

function(add_tinyml_model target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "WEIGHTS_FILE;EXTERNAL_ARENA;EXTERNAL_INPUT;FLOAT_IO;PROFILE"
                        "OUTPUT_DIR;WEIGHTS_SECTION;ARENA_SECTION;ALIGN;OPTIMIZE;MEMORY_BUDGET;CALIBRATION" "MODEL;NAME;OPTIONS")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "add_tinyml_model(${target}): unknown arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_MODEL)
    message(FATAL_ERROR "add_tinyml_model(${target}): MODEL <file.tflite> is required")
  endif()
  get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
  if(NOT "C" IN_LIST languages)
    message(FATAL_ERROR "add_tinyml_model(${target}): the generated code is C: enable the C "
                        "language (project(... LANGUAGES C ...) or enable_language(C))")
  endif()
  list(LENGTH ARG_MODEL num_models)
  if(ARG_NAME)
    list(LENGTH ARG_NAME num_names)
    if(NOT num_names EQUAL num_models)
      message(FATAL_ERROR "add_tinyml_model(${target}): ${num_names} NAMEs for ${num_models} MODELs")
    endif()
  endif()
  set(models "")
  set(names "")
  set(index 0)
  foreach(m IN LISTS ARG_MODEL)
    get_filename_component(m "${m}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND models "${m}")
    if(ARG_NAME)
      list(GET ARG_NAME ${index} n)
      if(NOT n MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
        message(FATAL_ERROR "add_tinyml_model(${target}): NAME '${n}' is not a C identifier")
      endif()
    else()
      get_filename_component(stem "${m}" NAME_WLE)
      string(MAKE_C_IDENTIFIER "${stem}" n)
    endif()
    list(APPEND names "${n}")
    math(EXPR index "${index} + 1")
  endforeach()

  if(ARG_OUTPUT_DIR)
    get_filename_component(out "${ARG_OUTPUT_DIR}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  else()
    set(out "${CMAKE_CURRENT_BINARY_DIR}/tinymlc/${target}")
  endif()

  set(options ${ARG_OPTIONS})
  if(ARG_WEIGHTS_SECTION)
    list(APPEND options --weights-section "${ARG_WEIGHTS_SECTION}")
  endif()
  if(ARG_ARENA_SECTION)
    list(APPEND options --arena-section "${ARG_ARENA_SECTION}")
  endif()
  if(ARG_OPTIMIZE)
    if(NOT ARG_OPTIMIZE MATCHES "^(balanced|speed|size|ram)$")
      message(FATAL_ERROR "add_tinyml_model(${target}): OPTIMIZE '${ARG_OPTIMIZE}' must be "
                          "balanced, speed, size or ram")
    endif()
    list(APPEND options --optimize "${ARG_OPTIMIZE}")
  endif()
  if(ARG_ALIGN)
    list(APPEND options --align "${ARG_ALIGN}")
  endif()
  if(ARG_WEIGHTS_FILE)
    list(APPEND options --weights-file)
  endif()
  if(ARG_EXTERNAL_ARENA)
    list(APPEND options --arena external)
  endif()
  if(ARG_EXTERNAL_INPUT)
    list(APPEND options --input external)
  endif()
  if(ARG_MEMORY_BUDGET)
    if(NOT ARG_MEMORY_BUDGET MATCHES "^[1-9][0-9]*$")
      message(FATAL_ERROR "add_tinyml_model(${target}): MEMORY_BUDGET '${ARG_MEMORY_BUDGET}' is "
                          "not a number of bytes")
    endif()
    list(APPEND options --memory-budget "${ARG_MEMORY_BUDGET}")
  endif()
  if(ARG_FLOAT_IO)
    list(APPEND options --float-io)
  endif()
  if(ARG_PROFILE)
    list(APPEND options --profile)
  endif()
  set(calibration_files "")
  if(ARG_CALIBRATION)
    if(num_models GREATER 1)
      message(FATAL_ERROR "add_tinyml_model(${target}): CALIBRATION takes one MODEL")
    endif()
    get_filename_component(cal "${ARG_CALIBRATION}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    if(NOT IS_DIRECTORY "${cal}")
      message(FATAL_ERROR "add_tinyml_model(${target}): CALIBRATION '${cal}' is not a folder")
    endif()
    file(GLOB calibration_files CONFIGURE_DEPENDS "${cal}/*")
    list(APPEND options --calibration "${cal}")
  endif()

  # Every compile writes <out>/tinyml_runtime.h; only one rule may name it as an output.
  set(outputs "")
  foreach(n IN LISTS names)
    list(APPEND outputs "${out}/${n}.c" "${out}/${n}.h")
    if("--weights-file" IN_LIST options)
      list(APPEND outputs "${out}/${n}_weights.c")
    endif()
  endforeach()
  if(num_models GREATER 1)
    list(APPEND outputs "${out}/tinyml_kernels.c" "${out}/tinyml_kernels.h")
  endif()
  list(JOIN names "," name_arg)
  get_property(dirs_used GLOBAL PROPERTY _TINYMLC_OUTPUT_DIRS)
  if(NOT out IN_LIST dirs_used)
    list(APPEND outputs "${out}/tinyml_runtime.h")
    set_property(GLOBAL APPEND PROPERTY _TINYMLC_OUTPUT_DIRS "${out}")
  endif()

  _tinymlc_executable(exe exe_depends)
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND "${exe}" compile ${models} -o "${out}" --name "${name_arg}" ${options}
    DEPENDS ${models} ${calibration_files} ${exe_depends}
    COMMENT "tinymlc: compiling ${name_arg} to ${out}"
    VERBATIM)

  add_library(${target} STATIC ${outputs})
  target_include_directories(${target} PUBLIC "${out}")
  set_target_properties(${target} PROPERTIES
    C_STANDARD 99
    C_STANDARD_REQUIRED ON
    LINKER_LANGUAGE C
    TINYMLC_MODEL "${models}"
    TINYMLC_NAME "${names}"
    TINYMLC_OUTPUT_DIR "${out}")
  # Models with float inputs or outputs call roundf() from <math.h>.
  if(NOT MSVC)
    target_link_libraries(${target} PUBLIC m)
  endif()
endfunction()
