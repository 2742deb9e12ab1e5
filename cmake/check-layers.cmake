cmake_minimum_required(VERSION 3.18)
# cmake -DSOURCE_DIR=<repo> -DTABLE=<layers_table.cmake> -P cmake/check-layers.cmake
#
# Fails (exit 1) when a source file #includes a header of a layer its own
# library does not link; prints each such include as file:line. The table
# is written by cmake/layers.cmake at configure time.
include(${TABLE})

# The layer of a repository path, or "" for one that is not checked (cli).
function(ls_layer_of path out)
  if(path MATCHES "^(settlement|model|reports)/")
    set(layer ${CMAKE_MATCH_1})
  elseif(path MATCHES "^harness/cli/")
    set(layer "")
  elseif(path MATCHES "^harness/run_scenario\\.")
    set(layer engine)
  elseif(path MATCHES "^harness/([a-z_]+)/")
    set(layer ${CMAKE_MATCH_1})
  else()
    set(layer base)
  endif()
  set(${out} "${layer}" PARENT_SCOPE)
endfunction()

file(GLOB_RECURSE sources RELATIVE ${SOURCE_DIR}
     ${SOURCE_DIR}/harness/*.h ${SOURCE_DIR}/harness/*.cpp
     ${SOURCE_DIR}/model/*.h ${SOURCE_DIR}/model/*.cpp
     ${SOURCE_DIR}/reports/*.h ${SOURCE_DIR}/reports/*.cpp
     ${SOURCE_DIR}/settlement/*.h ${SOURCE_DIR}/settlement/*.cpp)
set(violations 0)
foreach(file IN LISTS sources)
  ls_layer_of(${file} layer)
  if("${layer}" STREQUAL "")
    continue()
  endif()
  if(NOT DEFINED LS_ALLOWED_${layer})
    string(REPLACE ";" " " known "${LS_LAYERS}")
    message(SEND_ERROR "${file}: its directory is no layer of cmake/layers.cmake (known: ${known})")
    math(EXPR violations "${violations} + 1")
    continue()
  endif()
  file(STRINGS ${SOURCE_DIR}/${file} includes REGEX "^#include \"(harness|model|reports|settlement)/")
  foreach(line IN LISTS includes)
    string(REGEX REPLACE "^#include \"([^\"]+)\".*" "\\1" header "${line}")
    ls_layer_of(${header} target)
    if(target IN_LIST LS_ALLOWED_${layer})
      continue()
    endif()
    # Only now, the line number: read the file's lines once.
    file(STRINGS ${SOURCE_DIR}/${file} all)
    list(FIND all "${line}" index)
    math(EXPR number "${index} + 1")
    string(REPLACE ";" " " allowed "${LS_ALLOWED_${layer}}")
    message(SEND_ERROR "${file}:${number}: includes ${header}: layer '${layer}' may not include layer "
                       "'${target}' (it may include: ${allowed}).  Move the code down, "
                       "or link ledgerstress_${layer} to ledgerstress_${target} in CMakeLists.txt if the layers allow it.")
    math(EXPR violations "${violations} + 1")
  endforeach()
endforeach()
if(violations GREATER 0)
  message(FATAL_ERROR "${violations} include(s) against the layers (cmake/layers.cmake)")
endif()
