/*
 * mediasoup 3.15 is written against libsrtp 3.0-alpha, Debian 12 ships libsrtp 2.5. The two differ in
 * the type of the in/out length argument (size_t* vs int*) and in the name of srtp_remove_stream.
 */
#ifndef SHARED_COURT_SRTP3_COMPAT_H
#define SHARED_COURT_SRTP3_COMPAT_H

#include <srtp.h>
#include <stddef.h>

#define SHARED_COURT_SRTP_LEN_WRAPPER(name)                                                        \
  static inline srtp_err_status_t shared_court_##name(srtp_t ctx, void* buf, size_t* len)          \
  {                                                                                                \
    int l = (int)*len;                                                                             \
    srtp_err_status_t err = name(ctx, buf, &l);                                                    \
    *len = (size_t)l;                                                                              \
    return err;                                                                                    \
  }

SHARED_COURT_SRTP_LEN_WRAPPER(srtp_protect)
SHARED_COURT_SRTP_LEN_WRAPPER(srtp_unprotect)
SHARED_COURT_SRTP_LEN_WRAPPER(srtp_protect_rtcp)
SHARED_COURT_SRTP_LEN_WRAPPER(srtp_unprotect_rtcp)

#define srtp_protect shared_court_srtp_protect
#define srtp_unprotect shared_court_srtp_unprotect
#define srtp_protect_rtcp shared_court_srtp_protect_rtcp
#define srtp_unprotect_rtcp shared_court_srtp_unprotect_rtcp
#define srtp_stream_remove srtp_remove_stream

#endif
