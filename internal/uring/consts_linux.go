package uring

// Constants from include/uapi/linux/io_uring.h, under the header's names.
// Only those this package or its callers use are listed.

// io_uring_setup flags.
const (
	IORING_SETUP_IOPOLL        = 1 << 0
	IORING_SETUP_SQPOLL        = 1 << 1
	IORING_SETUP_SQ_AFF        = 1 << 2
	IORING_SETUP_CQSIZE        = 1 << 3
	IORING_SETUP_CLAMP         = 1 << 4
	IORING_SETUP_ATTACH_WQ     = 1 << 5
	IORING_SETUP_R_DISABLED    = 1 << 6
	IORING_SETUP_SUBMIT_ALL    = 1 << 7
	IORING_SETUP_COOP_TASKRUN  = 1 << 8
	IORING_SETUP_TASKRUN_FLAG  = 1 << 9
	IORING_SETUP_SQE128        = 1 << 10
	IORING_SETUP_CQE32         = 1 << 11
	IORING_SETUP_SINGLE_ISSUER = 1 << 12
	IORING_SETUP_DEFER_TASKRUN = 1 << 13
	IORING_SETUP_NO_MMAP       = 1 << 14
	IORING_SETUP_NO_SQARRAY    = 1 << 16
)

// io_uring_params.features bits.
const (
	IORING_FEAT_SINGLE_MMAP     = 1 << 0
	IORING_FEAT_NODROP          = 1 << 1
	IORING_FEAT_SUBMIT_STABLE   = 1 << 2
	IORING_FEAT_RW_CUR_POS      = 1 << 3
	IORING_FEAT_CUR_PERSONALITY = 1 << 4
	IORING_FEAT_FAST_POLL       = 1 << 5
	IORING_FEAT_POLL_32BITS     = 1 << 6
	IORING_FEAT_SQPOLL_NONFIXED = 1 << 7
	IORING_FEAT_EXT_ARG         = 1 << 8
	IORING_FEAT_NATIVE_WORKERS  = 1 << 9
	IORING_FEAT_RSRC_TAGS       = 1 << 10
	IORING_FEAT_CQE_SKIP        = 1 << 11
	IORING_FEAT_LINKED_FILE     = 1 << 12
	IORING_FEAT_REG_REG_RING    = 1 << 13
	IORING_FEAT_RECVSEND_BUNDLE = 1 << 14
	IORING_FEAT_MIN_TIMEOUT     = 1 << 15
)

// mmap offsets of the rings and the SQE array.
const (
	IORING_OFF_SQ_RING = 0
	IORING_OFF_CQ_RING = 0x8000000
	IORING_OFF_SQES    = 0x10000000
)

// sq_ring flags, written by the kernel.
const (
	IORING_SQ_NEED_WAKEUP = 1 << 0
	IORING_SQ_CQ_OVERFLOW = 1 << 1
	IORING_SQ_TASKRUN     = 1 << 2
)

// io_uring_enter flags.
const (
	IORING_ENTER_GETEVENTS       = 1 << 0
	IORING_ENTER_SQ_WAKEUP       = 1 << 1
	IORING_ENTER_SQ_WAIT         = 1 << 2
	IORING_ENTER_EXT_ARG         = 1 << 3
	IORING_ENTER_REGISTERED_RING = 1 << 4
)

// io_uring_register opcodes.
const (
	IORING_REGISTER_BUFFERS       = 0
	IORING_UNREGISTER_BUFFERS     = 1
	IORING_REGISTER_FILES         = 2
	IORING_UNREGISTER_FILES       = 3
	IORING_REGISTER_EVENTFD       = 4
	IORING_UNREGISTER_EVENTFD     = 5
	IORING_REGISTER_PROBE         = 8
	IORING_REGISTER_ENABLE_RINGS  = 12
	IORING_REGISTER_RING_FDS      = 20
	IORING_UNREGISTER_RING_FDS    = 21
	IORING_REGISTER_PBUF_RING     = 22
	IORING_UNREGISTER_PBUF_RING   = 23
	IORING_REGISTER_SYNC_CANCEL   = 24
	IORING_REGISTER_PBUF_STATUS   = 26
	IORING_REGISTER_SEND_MSG_RING = 31
)

// io_uring_probe_op.flags bit.
const IO_URING_OP_SUPPORTED = 1 << 0

// Opcodes (enum io_uring_op).
const (
	IORING_OP_NOP              = 0
	IORING_OP_READV            = 1
	IORING_OP_WRITEV           = 2
	IORING_OP_FSYNC            = 3
	IORING_OP_READ_FIXED       = 4
	IORING_OP_WRITE_FIXED      = 5
	IORING_OP_POLL_ADD         = 6
	IORING_OP_POLL_REMOVE      = 7
	IORING_OP_SYNC_FILE_RANGE  = 8
	IORING_OP_SENDMSG          = 9
	IORING_OP_RECVMSG          = 10
	IORING_OP_TIMEOUT          = 11
	IORING_OP_TIMEOUT_REMOVE   = 12
	IORING_OP_ACCEPT           = 13
	IORING_OP_ASYNC_CANCEL     = 14
	IORING_OP_LINK_TIMEOUT     = 15
	IORING_OP_CONNECT          = 16
	IORING_OP_FALLOCATE        = 17
	IORING_OP_OPENAT           = 18
	IORING_OP_CLOSE            = 19
	IORING_OP_FILES_UPDATE     = 20
	IORING_OP_STATX            = 21
	IORING_OP_READ             = 22
	IORING_OP_WRITE            = 23
	IORING_OP_FADVISE          = 24
	IORING_OP_MADVISE          = 25
	IORING_OP_SEND             = 26
	IORING_OP_RECV             = 27
	IORING_OP_OPENAT2          = 28
	IORING_OP_EPOLL_CTL        = 29
	IORING_OP_SPLICE           = 30
	IORING_OP_PROVIDE_BUFFERS  = 31
	IORING_OP_REMOVE_BUFFERS   = 32
	IORING_OP_TEE              = 33
	IORING_OP_SHUTDOWN         = 34
	IORING_OP_RENAMEAT         = 35
	IORING_OP_UNLINKAT         = 36
	IORING_OP_MKDIRAT          = 37
	IORING_OP_SYMLINKAT        = 38
	IORING_OP_LINKAT           = 39
	IORING_OP_MSG_RING         = 40
	IORING_OP_FSETXATTR        = 41
	IORING_OP_SETXATTR         = 42
	IORING_OP_FGETXATTR        = 43
	IORING_OP_GETXATTR         = 44
	IORING_OP_SOCKET           = 45
	IORING_OP_URING_CMD        = 46
	IORING_OP_SEND_ZC          = 47
	IORING_OP_SENDMSG_ZC       = 48
	IORING_OP_READ_MULTISHOT   = 49
	IORING_OP_WAITID           = 50
	IORING_OP_FUTEX_WAIT       = 51
	IORING_OP_FUTEX_WAKE       = 52
	IORING_OP_FUTEX_WAITV      = 53
	IORING_OP_FIXED_FD_INSTALL = 54
	IORING_OP_FTRUNCATE        = 55
	IORING_OP_BIND             = 56
	IORING_OP_LISTEN           = 57
)

// sqe.flags.
const (
	IOSQE_FIXED_FILE       = 1 << 0
	IOSQE_IO_DRAIN         = 1 << 1
	IOSQE_IO_LINK          = 1 << 2
	IOSQE_IO_HARDLINK      = 1 << 3
	IOSQE_ASYNC            = 1 << 4
	IOSQE_BUFFER_SELECT    = 1 << 5
	IOSQE_CQE_SKIP_SUCCESS = 1 << 6
)

// cqe.flags.
const (
	IORING_CQE_F_BUFFER        = 1 << 0
	IORING_CQE_F_MORE          = 1 << 1
	IORING_CQE_F_SOCK_NONEMPTY = 1 << 2
	IORING_CQE_F_NOTIF         = 1 << 3
	IORING_CQE_F_BUF_MORE      = 1 << 4
	IORING_CQE_BUFFER_SHIFT    = 16
)

// sqe.ioprio flags for accept.
const (
	IORING_ACCEPT_MULTISHOT  = 1 << 0
	IORING_ACCEPT_DONTWAIT   = 1 << 1
	IORING_ACCEPT_POLL_FIRST = 1 << 2
)

// sqe.ioprio flags for send and recv.
const (
	IORING_RECVSEND_POLL_FIRST = 1 << 0
	IORING_RECV_MULTISHOT      = 1 << 1
	IORING_RECVSEND_FIXED_BUF  = 1 << 2
	IORING_RECVSEND_BUNDLE     = 1 << 4
)

// sqe.len flags for poll_add.
const (
	IORING_POLL_ADD_MULTI        = 1 << 0
	IORING_POLL_UPDATE_EVENTS    = 1 << 1
	IORING_POLL_UPDATE_USER_DATA = 1 << 2
	IORING_POLL_ADD_LEVEL        = 1 << 3
)

// sqe.cancel_flags.
const (
	IORING_ASYNC_CANCEL_ALL      = 1 << 0
	IORING_ASYNC_CANCEL_FD       = 1 << 1
	IORING_ASYNC_CANCEL_ANY      = 1 << 2
	IORING_ASYNC_CANCEL_FD_FIXED = 1 << 3
	IORING_ASYNC_CANCEL_USERDATA = 1 << 4
	IORING_ASYNC_CANCEL_OP       = 1 << 5
)

// sqe.timeout_flags.
const (
	IORING_TIMEOUT_ABS           = 1 << 0
	IORING_TIMEOUT_UPDATE        = 1 << 1
	IORING_TIMEOUT_BOOTTIME      = 1 << 2
	IORING_TIMEOUT_REALTIME      = 1 << 3
	IORING_LINK_TIMEOUT_UPDATE   = 1 << 4
	IORING_TIMEOUT_ETIME_SUCCESS = 1 << 5
	IORING_TIMEOUT_MULTISHOT     = 1 << 6
)

// MSG_RING commands (sqe.addr) and flags (sqe.msg_ring_flags).
const (
	IORING_MSG_DATA            = 0
	IORING_MSG_SEND_FD         = 1
	IORING_MSG_RING_CQE_SKIP   = 1 << 0
	IORING_MSG_RING_FLAGS_PASS = 1 << 1
)

// io_uring_buf_reg.flags.
const IOU_PBUF_RING_MMAP = 1
