// Private to src/tls/client: every state type complete, for the code that makes or holds a
// ClientState (a std::variant needs all its alternatives defined). Each version's file includes
// this one, never the other version's header directly.
#pragma once

#include "states.hpp"
#include "tls12.hpp"
#include "tls13.hpp"
