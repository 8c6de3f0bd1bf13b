// duplex tls connect | serve: the TLS 1.3 engine on its own, for trying peers and certificates.
#include <cstdio>

#include "commands.hpp"

namespace duplex::tool {

int run_tls_connect(std::span<const std::string_view> args);  // tls_connect_command.cpp
int run_tls_serve(std::span<const std::string_view> args);    // tls_serve_command.cpp

int run_tls(std::span<const std::string_view> args) {
  if (!args.empty() && args[0] == "connect") return run_tls_connect(args.subspan(1));
  if (!args.empty() && args[0] == "serve") return run_tls_serve(args.subspan(1));
  std::fputs("usage: duplex tls connect HOST:PORT [OPTIONS]\n"
             "       duplex tls serve --cert FILE --key FILE [OPTIONS]\n"
             "Run 'duplex tls connect --help' or 'duplex tls serve --help' for the options.\n",
             stderr);
  return 2;
}

}  // namespace duplex::tool
