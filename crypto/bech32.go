package crypto

// bech32Charset is the BIP-173 alphabet, value order.
const bech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

// bech32Encode encodes data as BIP-173 bech32 under a lower-case
// human-readable part, as age does for its keys. It has no length limit,
// like age's encoder. Callers wanting upper case convert the whole result.
func bech32Encode(hrp string, data []byte) string {
	return bech32EncodeValues(hrp, convertBits8to5(data))
}

// bech32EncodeValues encodes 5-bit values; split out so the BIP-173 test
// vectors, which are not byte-aligned, can be checked.
func bech32EncodeValues(hrp string, values []byte) string {
	out := make([]byte, 0, len(hrp)+1+len(values)+6)
	out = append(out, hrp...)
	out = append(out, '1')
	for _, v := range values {
		out = append(out, bech32Charset[v])
	}
	for _, v := range bech32Checksum(hrp, values) {
		out = append(out, bech32Charset[v])
	}
	return string(out)
}

func bech32Checksum(hrp string, values []byte) [6]byte {
	in := make([]byte, 0, 2*len(hrp)+1+len(values)+6)
	for i := range len(hrp) {
		in = append(in, hrp[i]>>5)
	}
	in = append(in, 0)
	for i := range len(hrp) {
		in = append(in, hrp[i]&31)
	}
	in = append(in, values...)
	in = append(in, 0, 0, 0, 0, 0, 0)
	mod := bech32Polymod(in) ^ 1
	var sum [6]byte
	for i := range sum {
		sum[i] = byte(mod>>(5*(5-i))) & 31
	}
	return sum
}

func bech32Polymod(values []byte) uint32 {
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := uint32(1)
	for _, v := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i, g := range gen {
			if (top>>i)&1 == 1 {
				chk ^= g
			}
		}
	}
	return chk
}

// convertBits8to5 regroups bytes into 5-bit values, zero-padding the last.
func convertBits8to5(data []byte) []byte {
	out := make([]byte, 0, (len(data)*8+4)/5)
	var acc uint32
	bits := 0
	for _, b := range data {
		acc = acc<<8 | uint32(b)
		bits += 8
		for bits >= 5 {
			bits -= 5
			out = append(out, byte(acc>>bits)&31)
		}
	}
	if bits > 0 {
		out = append(out, byte(acc<<(5-bits))&31)
	}
	return out
}
