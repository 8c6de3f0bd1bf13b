// The page `duplex serve` answers GET / with: a chat room client for /chat, self-contained (no
// external resources), so it works offline and under a strict Content-Security-Policy.
#pragma once

#include <string_view>

namespace duplex::tool {

// A complete HTML document (UTF-8). Element ids the browser interop test relies on: #status
// ("connecting", "connected", "closed ..."), #messages, #input, #send.
std::string_view chat_page_html();

}  // namespace duplex::tool
