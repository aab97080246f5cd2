#version 450
// c = a + b, one invocation per element; compiled to SPIR-V when the test image is built.
layout(local_size_x = 64) in;
layout(std430, binding = 0) buffer Data {
  float a[4096];
  float b[4096];
  float c[4096];
};
void main() {
  uint i = gl_GlobalInvocationID.x;
  c[i] = a[i] + b[i];
}
