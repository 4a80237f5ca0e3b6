//! Integer matrix products with wrapping i32 accumulation.

/// `c[m×n] = a[m×k] · b[k×n]` over int8 inputs with wrapping i32 accumulation, row-major.
///
/// # Panics
/// If a slice is shorter than its shape says.
pub fn matmul_i8_i32(a: &[i8], b: &[i8], c: &mut [i32], m: usize, k: usize, n: usize) {
    let (a, b, c) = (&a[..m * k], &b[..k * n], &mut c[..m * n]);
    for i in 0..m {
        let row = &mut c[i * n..(i + 1) * n];
        row.fill(0);
        for p in 0..k {
            let x = a[i * k + p] as i32;
            for (acc, &y) in row.iter_mut().zip(&b[p * n..(p + 1) * n]) {
                *acc = acc.wrapping_add(x.wrapping_mul(y as i32));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_product() {
        let a = [1i8, 2, 3, 4]; // 2×2
        let b = [5i8, 6, 7, 8];
        let mut c = [0i32; 4];
        matmul_i8_i32(&a, &b, &mut c, 2, 2, 2);
        assert_eq!(c, [19, 22, 43, 50]);
    }

    #[test]
    fn extremes_do_not_overflow_i32() {
        let a = [-128i8; 64];
        let b = [-128i8; 64];
        let mut c = [0i32; 1];
        matmul_i8_i32(&a, &b, &mut c, 1, 64, 1);
        assert_eq!(c[0], 64 * 16384);
    }
}
