//! 64×64 int8 matmul, repeated (`opml_dnn::testgen::MATMUL_1G`): about 1.16 × 10^9 instructions
//! in the opml VM, a throughput benchmark. Prints and exits with the checksum of every C.
#![no_std]
#![no_main]

opml_guest::matmul_bench!(opml_guest::opml_dnn::testgen::MATMUL_1G);
