package ancillary

// cmsgAlign is the alignment of control messages: 4 bytes on Darwin
// whatever the word size (__DARWIN_ALIGN32).
const cmsgAlign = 4
