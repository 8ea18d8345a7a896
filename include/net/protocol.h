/* protocol.h — the version of the wire protocol described in
 * doc/PROTOCOL.md. Every change to a byte layout, a limit both ends rely
 * on, or the meaning of a field bumps it. */
#ifndef RMUX_NET_PROTOCOL_H
#define RMUX_NET_PROTOCOL_H

#define PROTOCOL_VERSION 3

#endif
