/*
 * A stand-in for bcryptprimitives.dll, which Wine 8 lacks. Go 1.24 and later
 * draw their random bytes from ProcessPrng there; this one forwards to
 * advapi32's RtlGenRandom (exported as SystemFunction036). Built by
 * scripts/wine-test.sh with x86_64-w64-mingw32-gcc and copied into the Wine
 * prefix's system32. Never used on real Windows.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!SystemFunction036(data, chunk))
			return FALSE;
		data += chunk;
		len -= chunk;
	}
	return TRUE;
}
