// The subcommands of the `duplex` command line, one file each.
#pragma once

#include <span>
#include <string_view>

namespace duplex::tool {

// Each takes the arguments after the subcommand's name and returns the process exit status.
int run_serve(std::span<const std::string_view> args);    // serve_command.cpp
int run_connect(std::span<const std::string_view> args);  // connect_command.cpp
int run_bench(std::span<const std::string_view> args);    // bench_command.cpp
int run_tls(std::span<const std::string_view> args);      // tls_command.cpp
int run_x509(std::span<const std::string_view> args);  // x509_command.cpp
int run_ca(std::span<const std::string_view> args);    // dev_ca.cpp

}  // namespace duplex::tool
