/* accelbase compute probe for OpenCL: c = a + b on N floats, built from source at run time through
 * the ICD loader on the first device of the first platform, every element checked on the host.
 * Prints the device, the first results and a checksum, then "compute ok" (exit 0), "no OpenCL
 * device" (exit 77: the ICD loaded but found none) or "wrong result" (exit 1). The kernel's
 * operator is KERNEL_OP (default +), so the engine test can build a probe that adds wrongly. */
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef KERNEL_OP
#define KERNEL_OP "+"
#endif
#define N 4096
#define NO_DEVICE 77

static int check(cl_int err, const char *what) {
  if (err == CL_SUCCESS) return 0;
  printf("%s failed: OpenCL error %d\n", what, err);
  return 1;
}

int main(void) {
  const char *source =
      "__kernel void vadd(__global const float *a, __global const float *b, __global float *c) {\n"
      "  size_t i = get_global_id(0);\n  c[i] = a[i] " KERNEL_OP " b[i];\n}\n";
  cl_uint platforms = 0;
  cl_platform_id platform;
  if (clGetPlatformIDs(1, &platform, &platforms) != CL_SUCCESS || platforms == 0) {
    printf("no OpenCL device (no platform: the ICD loader found no driver)\n");
    return NO_DEVICE;
  }
  cl_device_id device;
  cl_uint devices = 0;
  if (clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 1, &device, &devices) != CL_SUCCESS || devices == 0) {
    printf("no OpenCL device (the platform lists none)\n");
    return NO_DEVICE;
  }
  char name[256] = "", pname[256] = "";
  clGetPlatformInfo(platform, CL_PLATFORM_NAME, sizeof pname, pname, NULL);
  clGetDeviceInfo(device, CL_DEVICE_NAME, sizeof name, name, NULL);
  printf("platform: %s\ndevice: %s\n", pname, name);

  cl_int err;
  cl_context ctx = clCreateContext(NULL, 1, &device, NULL, NULL, &err);
  if (check(err, "clCreateContext")) return 1;
  cl_command_queue queue = clCreateCommandQueue(ctx, device, 0, &err);
  if (check(err, "clCreateCommandQueue")) return 1;
  const char *src = source;
  cl_program program = clCreateProgramWithSource(ctx, 1, &src, NULL, &err);
  if (check(err, "clCreateProgramWithSource")) return 1;
  if (clBuildProgram(program, 1, &device, NULL, NULL, NULL) != CL_SUCCESS) {
    char log[4096] = "";
    clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, sizeof log, log, NULL);
    printf("clBuildProgram failed: %s\n", log);
    return 1;
  }
  cl_kernel kernel = clCreateKernel(program, "vadd", &err);
  if (check(err, "clCreateKernel")) return 1;

  static float a[N], b[N], c[N];
  for (int i = 0; i < N; i++) {
    a[i] = (float)i;
    b[i] = (float)(2 * i);
  }
  cl_mem da = clCreateBuffer(ctx, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, sizeof a, a, &err);
  if (check(err, "clCreateBuffer a")) return 1;
  cl_mem db = clCreateBuffer(ctx, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, sizeof b, b, &err);
  if (check(err, "clCreateBuffer b")) return 1;
  cl_mem dc = clCreateBuffer(ctx, CL_MEM_WRITE_ONLY, sizeof c, NULL, &err);
  if (check(err, "clCreateBuffer c")) return 1;
  clSetKernelArg(kernel, 0, sizeof da, &da);
  clSetKernelArg(kernel, 1, sizeof db, &db);
  clSetKernelArg(kernel, 2, sizeof dc, &dc);
  size_t global = N;
  if (check(clEnqueueNDRangeKernel(queue, kernel, 1, NULL, &global, NULL, 0, NULL, NULL), "clEnqueueNDRangeKernel"))
    return 1;
  if (check(clEnqueueReadBuffer(queue, dc, CL_TRUE, 0, sizeof c, c, 0, NULL, NULL), "clEnqueueReadBuffer")) return 1;

  double sum = 0;
  int wrong = 0, first = -1;
  for (int i = 0; i < N; i++) {
    sum += c[i];
    if (c[i] != a[i] + b[i] && wrong++ == 0) first = i;
  }
  printf("vadd of %d floats: c[0..3] = %g %g %g %g, checksum %.0f (expected %.0f)\n", N, c[0], c[1], c[2], c[3], sum,
         3.0 * N * (N - 1) / 2);
  if (wrong) {
    printf("wrong result: %d of %d elements differ (first c[%d] = %g, expected %g)\n", wrong, N, first, c[first],
           a[first] + b[first]);
    return 1;
  }
  printf("compute ok: vadd on %s\n", name);
  return 0;
}
