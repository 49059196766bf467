# The .deb a teacher can hand out: `cmake --workflow --preset package` builds
# build/package/socketlab_<version>_<arch>.deb from the install rules (cmake/Install.cmake), and
# `apt install ./socketlab_*.deb` installs it with what it needs. The runtime dependencies are
# read off the programs by dpkg-shlibdeps (Debian's dpkg-dev), so they are those of the system
# that built it: a package built on Debian 12 installs on Debian 12 and 13.
set(CPACK_PACKAGE_NAME socketlab)
set(CPACK_PACKAGE_VENDOR "socketlab")
set(CPACK_PACKAGE_CONTACT "socketlab developers <socketlab@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "learn network programming by running it")
set(CPACK_PACKAGE_DESCRIPTION
  "socketlab-server is a multi-port HTTP/1.1 server (each port a site: a greeting in a language,
or a folder of files) with four serving models to compare, and TCP and UDP echo servers.
socketlab-client shows what happens on the wire (get -v), loads a server like wrk (bench),
fills a listen queue (backlog) and puts TCP and UDP side by side. The package also has the
numbered lessons, their programs and the documentation site.")
set(CPACK_PACKAGE_FILE_NAME "${CPACK_PACKAGE_NAME}-${PROJECT_VERSION}")  # other generators

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # socketlab_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)   # Depends: libc6, libstdc++6, ... as the programs link them
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "man-db, bash-completion")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "curl, wrk, nginx-light, tcpdump, python3")  # python3: lesson02-original
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PROJECT_HOMEPAGE_URL}")
set(CPACK_GENERATOR DEB)
include(CPack)
