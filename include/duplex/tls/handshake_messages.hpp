// Every RFC 8446 §4 handshake message codec, for users who want them all.
#pragma once

#include "duplex/tls/certificate.hpp"
#include "duplex/tls/certificate_request.hpp"
#include "duplex/tls/certificate_verify.hpp"
#include "duplex/tls/client_hello.hpp"
#include "duplex/tls/encrypted_extensions.hpp"
#include "duplex/tls/extension_data.hpp"
#include "duplex/tls/finished.hpp"
#include "duplex/tls/handshake.hpp"
#include "duplex/tls/key_update.hpp"
#include "duplex/tls/new_session_ticket.hpp"
#include "duplex/tls/server_hello.hpp"
