// libzmq (Debian: libzmq3-dev), for the KV event publisher.
#include <zmq.h>
