//! 32×32 int8 matmul, once (`opml_dnn::testgen::MATMUL`): a few hundred thousand instructions.
//! Prints and exits with the checksum of C.
#![no_std]
#![no_main]

opml_guest::matmul_bench!(opml_guest::opml_dnn::testgen::MATMUL);
