/* accelbase compute probe for CUDA: c = a + b on N floats, a kernel launched through the driver API
 * with PTX the driver JIT-compiles, so neither nvcc nor the CUDA headers are needed: libcuda.so.1
 * (the host's driver, mounted by the NVIDIA container toolkit) is opened with dlopen and the few
 * entry points used are declared here. Every element is checked on the host. Prints the device, the
 * first results and a checksum, then "compute ok" (exit 0), "no CUDA device" (exit 77: no driver in
 * the container, or it finds no GPU) or "wrong result" (exit 1). */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#define N 4096
#define BLOCK 256
#define NO_DEVICE 77

typedef int CUresult; /* CUDA_SUCCESS is 0 */
typedef int CUdevice;
typedef void *CUcontext;
typedef void *CUmodule;
typedef void *CUfunction;
typedef void *CUstream;
typedef unsigned long long CUdeviceptr;

/* PTX ISA 6.0 for sm_50: every driver since CUDA 9 JIT-compiles it for the GPU it finds. */
static const char PTX[] =
    ".version 6.0\n.target sm_50\n.address_size 64\n"
    ".visible .entry vadd(.param .u64 pa, .param .u64 pb, .param .u64 pc, .param .u32 pn)\n{\n"
    "  .reg .pred p;\n  .reg .f32 f<4>;\n  .reg .b32 r<6>;\n  .reg .b64 rd<11>;\n"
    "  ld.param.u64 rd1, [pa];\n  ld.param.u64 rd2, [pb];\n  ld.param.u64 rd3, [pc];\n  ld.param.u32 r1, [pn];\n"
    "  mov.u32 r2, %ctaid.x;\n  mov.u32 r3, %ntid.x;\n  mov.u32 r4, %tid.x;\n  mad.lo.s32 r5, r2, r3, r4;\n"
    "  setp.ge.u32 p, r5, r1;\n  @p bra DONE;\n"
    "  cvta.to.global.u64 rd4, rd1;\n  cvta.to.global.u64 rd5, rd2;\n  cvta.to.global.u64 rd6, rd3;\n"
    "  mul.wide.u32 rd7, r5, 4;\n  add.s64 rd8, rd4, rd7;\n  add.s64 rd9, rd5, rd7;\n  add.s64 rd10, rd6, rd7;\n"
    "  ld.global.f32 f1, [rd8];\n  ld.global.f32 f2, [rd9];\n  add.f32 f3, f1, f2;\n  st.global.f32 [rd10], f3;\n"
    "DONE:\n  ret;\n}\n";

static CUresult (*cuInit)(unsigned);
static CUresult (*cuDriverGetVersion)(int *);
static CUresult (*cuDeviceGetCount)(int *);
static CUresult (*cuDeviceGet)(CUdevice *, int);
static CUresult (*cuDeviceGetName)(char *, int, CUdevice);
static CUresult (*cuCtxCreate)(CUcontext *, unsigned, CUdevice);
static CUresult (*cuModuleLoadData)(CUmodule *, const void *);
static CUresult (*cuModuleGetFunction)(CUfunction *, CUmodule, const char *);
static CUresult (*cuMemAlloc)(CUdeviceptr *, size_t);
static CUresult (*cuMemcpyHtoD)(CUdeviceptr, const void *, size_t);
static CUresult (*cuMemcpyDtoH)(void *, CUdeviceptr, size_t);
static CUresult (*cuLaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned,
                                  CUstream, void **, void **);
static CUresult (*cuCtxSynchronize)(void);
static CUresult (*cuGetErrorString)(CUresult, const char **);

static const char *errorText(CUresult r) {
  const char *s = NULL;
  if (cuGetErrorString && cuGetErrorString(r, &s) == 0 && s) return s;
  return "unknown error";
}

#define CHECK(call)                                                        \
  do {                                                                     \
    CUresult r_ = (call);                                                  \
    if (r_ != 0) {                                                         \
      printf("%s failed: CUDA error %d (%s)\n", #call, r_, errorText(r_)); \
      return 1;                                                            \
    }                                                                      \
  } while (0)

int main(void) {
  void *lib = dlopen("libcuda.so.1", RTLD_NOW);
  if (!lib) {
    printf("no CUDA device (no NVIDIA driver in the container: %s)\n", dlerror());
    return NO_DEVICE;
  }
  struct {
    void **fn;
    const char *name;
  } entries[] = {
      {(void **)&cuInit, "cuInit"},
      {(void **)&cuDriverGetVersion, "cuDriverGetVersion"},
      {(void **)&cuDeviceGetCount, "cuDeviceGetCount"},
      {(void **)&cuDeviceGet, "cuDeviceGet"},
      {(void **)&cuDeviceGetName, "cuDeviceGetName"},
      {(void **)&cuCtxCreate, "cuCtxCreate_v2"},
      {(void **)&cuModuleLoadData, "cuModuleLoadData"},
      {(void **)&cuModuleGetFunction, "cuModuleGetFunction"},
      {(void **)&cuMemAlloc, "cuMemAlloc_v2"},
      {(void **)&cuMemcpyHtoD, "cuMemcpyHtoD_v2"},
      {(void **)&cuMemcpyDtoH, "cuMemcpyDtoH_v2"},
      {(void **)&cuLaunchKernel, "cuLaunchKernel"},
      {(void **)&cuCtxSynchronize, "cuCtxSynchronize"},
      {(void **)&cuGetErrorString, "cuGetErrorString"},
  };
  for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++) {
    *entries[i].fn = dlsym(lib, entries[i].name);
    if (!*entries[i].fn) {
      printf("libcuda.so.1 lacks %s: not a CUDA driver this probe can use\n", entries[i].name);
      return 1;
    }
  }
  CUresult r = cuInit(0);
  if (r != 0) {
    printf("no CUDA device (cuInit: CUDA error %d, %s)\n", r, errorText(r));
    return NO_DEVICE;
  }
  int version = 0, count = 0;
  CHECK(cuDriverGetVersion(&version));
  CHECK(cuDeviceGetCount(&count));
  printf("CUDA driver %d.%d, devices: %d\n", version / 1000, version % 1000 / 10, count);
  if (count == 0) {
    printf("no CUDA device (count is 0)\n");
    return NO_DEVICE;
  }
  CUdevice dev;
  char name[256] = "";
  CHECK(cuDeviceGet(&dev, 0));
  CHECK(cuDeviceGetName(name, sizeof name, dev));
  printf("device: %s\n", name);
  CUcontext ctx;
  CUmodule module;
  CUfunction kernel;
  CHECK(cuCtxCreate(&ctx, 0, dev));
  CHECK(cuModuleLoadData(&module, PTX));
  CHECK(cuModuleGetFunction(&kernel, module, "vadd"));

  static float a[N], b[N], c[N];
  for (int i = 0; i < N; i++) {
    a[i] = (float)i;
    b[i] = (float)(2 * i);
    c[i] = -1.0f;
  }
  CUdeviceptr da, db, dc;
  CHECK(cuMemAlloc(&da, sizeof a));
  CHECK(cuMemAlloc(&db, sizeof b));
  CHECK(cuMemAlloc(&dc, sizeof c));
  CHECK(cuMemcpyHtoD(da, a, sizeof a));
  CHECK(cuMemcpyHtoD(db, b, sizeof b));
  unsigned n = N;
  void *args[] = {&da, &db, &dc, &n};
  CHECK(cuLaunchKernel(kernel, (N + BLOCK - 1) / BLOCK, 1, 1, BLOCK, 1, 1, 0, NULL, args, NULL));
  CHECK(cuCtxSynchronize());
  CHECK(cuMemcpyDtoH(c, dc, sizeof c));

  double sum = 0;
  int wrong = 0, first = -1;
  for (int i = 0; i < N; i++) {
    sum += c[i];
    if (c[i] != a[i] + b[i] && wrong++ == 0) first = i;
  }
  printf("vadd of %d floats in %d blocks: c[0..3] = %g %g %g %g, checksum %.0f (expected %.0f)\n", N,
         (N + BLOCK - 1) / BLOCK, c[0], c[1], c[2], c[3], sum, 3.0 * N * (N - 1) / 2);
  if (wrong) {
    printf("wrong result: %d of %d elements differ (first c[%d] = %g, expected %g)\n", wrong, N, first, c[first],
           a[first] + b[first]);
    return 1;
  }
  printf("compute ok: PTX kernel on %s\n", name);
  return 0;
}
