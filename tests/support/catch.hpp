/// @file
/// One include for Catch2 v3 (where installed) or v2 (Debian 12, Ubuntu 22.04).
#pragma once

#if SOCKETLAB_CATCH2_MAJOR >= 3
#include <catch2/catch_all.hpp>
#else
#include <catch2/catch.hpp>
#endif
