# How ledgerstress installs (included by the top CMakeLists.txt, after the
# ledgerstress target):
#   bin/ledgerstress
#   share/ledgerstress/scenarios/, share/ledgerstress/drivers/   the shipped scenarios and drivers,
#                                    side by side as in the source tree, so a scenario's
#                                    relative paths (../drivers/...) keep working
#   share/doc/ledgerstress/          README.md and docs/
#   share/man/man1/ledgerstress.1.gz generated from the --help texts at build time (help2man)
#   share/bash-completion/completions/ledgerstress
# and the Debian package built from them by cpack (scripts/package.sh).
include(GNUInstallDirs)

set(LS_PKGDATADIR ${CMAKE_INSTALL_DATADIR}/ledgerstress)

# The binary finds share/ledgerstress relative to its own directory
# (harness/cli/search_path.h): the install layout is compiled in, not the
# prefix, so the tree works wherever it lands (the .deb's /usr, or
# `cmake --install build --prefix /tmp/inst`). In its build tree it reads
# the source tree's scenarios/ instead.
file(RELATIVE_PATH LS_BIN_TO_PKGDATA ${CMAKE_INSTALL_FULL_BINDIR} ${CMAKE_INSTALL_FULL_DATADIR}/ledgerstress)
# Only in the file that reads them: a clone at another path recompiles it
# alone (scripts/build.sh builds through ccache).
set_property(SOURCE harness/cli/search_path.cpp APPEND PROPERTY COMPILE_DEFINITIONS
  LEDGERSTRESS_BIN_TO_PKGDATA="${LS_BIN_TO_PKGDATA}"
  LEDGERSTRESS_BUILD_DIR="$<TARGET_FILE_DIR:ledgerstress>")

# --- the man page, from `ledgerstress --help` and every `ledgerstress CMD --help`
find_program(LS_HELP2MAN help2man)
if(NOT LS_HELP2MAN)
  message(FATAL_ERROR "help2man not found: run scripts/install-deps.sh (Debian package help2man)")
endif()
set(LS_MAN ${CMAKE_BINARY_DIR}/ledgerstress.1)
add_custom_command(OUTPUT ${LS_MAN} ${LS_MAN}.gz
  COMMAND ${CMAKE_SOURCE_DIR}/packaging/manpage.sh $<TARGET_FILE:ledgerstress> ${LS_MAN}
  DEPENDS ledgerstress ${CMAKE_SOURCE_DIR}/packaging/manpage.sh
  COMMENT "Generating the man page ledgerstress.1 from the --help texts"
  VERBATIM)
add_custom_target(ledgerstress_man ALL DEPENDS ${LS_MAN} ${LS_MAN}.gz)

# --- install rules -----------------------------------------------------------
install(TARGETS ledgerstress RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/scenarios ${CMAKE_SOURCE_DIR}/drivers
  DESTINATION ${LS_PKGDATADIR}
  PATTERN __pycache__ EXCLUDE
  PATTERN "*.pyc" EXCLUDE)
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}
  PATTERN __pycache__ EXCLUDE)
install(FILES ${LS_MAN}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/ledgerstress.bash
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME ledgerstress)

# --- the Debian package: cpack -G DEB (scripts/package.sh) -------------------
set(LEDGERSTRESS_PACKAGE_MAINTAINER "ledgerstress maintainers <maintainers@users.noreply.r-seed-0db16a59.example>"
  CACHE STRING "Maintainer field of the Debian package")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ledgerstress)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${LEDGERSTRESS_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "concurrency stress tests for PostgreSQL-backed settlement code")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "Runs settlement operations from many threads against a real PostgreSQL\n\
(an embedded throwaway cluster, or any server by DSN), injects deadlocks,\n\
killed backends and server crashes, checks invariants by SQL afterwards and\n\
writes JSON, HTML, JUnit and Markdown reports. `ledgerstress run ci` runs\n\
the shipped gate suite; `ledgerstress list scenarios` shows the others.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)        # ledgerstress_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)        # libpqxx, libpq, boost-program-options, toml++, libstdc++ ... (dpkg-shlibdeps)
# The embedded cluster runs PostgreSQL's own initdb/pg_ctl/postgres, with
# pg_stat_statements and pgrowlocks (contrib) for the lock and statement figures.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "postgresql-15, postgresql-contrib")
# Only the Django driver (drivers/django, scenarios/django_review.toml) needs these.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "python3, python3-django, python3-psycopg2")
set(CPACK_STRIP_FILES ON)                      # the debug info stays in the build tree
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
