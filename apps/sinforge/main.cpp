#include <cstdio>
int main() { std::puts("sinforge"); return 0; }
