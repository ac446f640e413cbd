package org.airshard.executor.model;

/** Element types the loaders understand. Quantised GGUF types are dequantised to fp32 at load. */
public enum DType {
    F32, F16, BF16, Q8_0, Q4_0;

    /** IEEE half to float. */
    public static float halfToFloat(int h) {
        int sign = (h >>> 15) & 1, exp = (h >>> 10) & 0x1f, mant = h & 0x3ff;
        float v;
        if (exp == 0) {
            v = (float) (mant * Math.pow(2, -24));
        } else if (exp == 31) {
            v = mant == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        } else {
            v = Float.intBitsToFloat(((exp - 15 + 127) << 23) | (mant << 13));
        }
        return sign == 1 ? -v : v;
    }

    /** Float to IEEE half, round to nearest even (values exactly representable convert exactly). */
    public static short floatToHalf(float f) {
        int bits = Float.floatToIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 255) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 31) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            mant |= 0x800000;
            int shift = 14 - e;
            int h = mant >> shift;
            int rem = mant & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rem > halfway || (rem == halfway && (h & 1) == 1)) {
                h++;
            }
            return (short) (sign | h);
        }
        int h = (e << 10) | (mant >>> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (h & 1) == 1)) {
            h++;
        }
        return (short) (sign | h);
    }

    /** bfloat16 bits to float. */
    public static float bf16ToFloat(int b) {
        return Float.intBitsToFloat((b & 0xffff) << 16);
    }

    /** Float to bfloat16 bits (round to nearest even). */
    public static short floatToBf16(float f) {
        int bits = Float.floatToIntBits(f);
        int lsb = (bits >>> 16) & 1;
        bits += 0x7fff + lsb;
        return (short) (bits >>> 16);
    }
}
