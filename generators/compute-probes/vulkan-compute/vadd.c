/* accelbase compute probe for Vulkan: dispatch a compute shader (vadd.comp, SPIR-V compiled at build
 * time into vadd_spv.h) that computes c = a + b on N floats in one host-visible storage buffer, on
 * the first physical device with a compute queue; every element checked on the host. Prints the
 * device, the first results and a checksum, then "compute ok" (exit 0), "no Vulkan device" (exit 77:
 * the loader found no device) or "wrong result" (exit 1). */
#include <vulkan/vulkan.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "vadd_spv.h"

#define N 4096
#define GROUP 64
#define NO_DEVICE 77

#define CHECK(call)                                       \
  do {                                                    \
    VkResult r_ = (call);                                 \
    if (r_ != VK_SUCCESS) {                               \
      printf("%s failed: VkResult %d\n", #call, (int)r_); \
      return 1;                                           \
    }                                                     \
  } while (0)

int main(void) {
  VkApplicationInfo app = {.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
                           .pApplicationName = "accelbase-compute-probe",
                           .apiVersion = VK_API_VERSION_1_0};
  VkInstanceCreateInfo ici = {.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO, .pApplicationInfo = &app};
  VkInstance instance;
  VkResult r = vkCreateInstance(&ici, NULL, &instance);
  if (r == VK_ERROR_INCOMPATIBLE_DRIVER) {
    printf("no Vulkan device (no driver: VK_ERROR_INCOMPATIBLE_DRIVER)\n");
    return NO_DEVICE;
  }
  CHECK(r);
  uint32_t count = 8;
  VkPhysicalDevice devices[8];
  r = vkEnumeratePhysicalDevices(instance, &count, devices);
  if ((r != VK_SUCCESS && r != VK_INCOMPLETE) || count == 0) {
    printf("no Vulkan device (the loader lists none)\n");
    return NO_DEVICE;
  }
  VkPhysicalDevice phys = VK_NULL_HANDLE;
  uint32_t family = 0;
  VkPhysicalDeviceProperties props;
  for (uint32_t d = 0; d < count && phys == VK_NULL_HANDLE; d++) {
    uint32_t nf = 16;
    VkQueueFamilyProperties fams[16];
    vkGetPhysicalDeviceQueueFamilyProperties(devices[d], &nf, fams);
    for (uint32_t f = 0; f < nf; f++)
      if (fams[f].queueFlags & VK_QUEUE_COMPUTE_BIT) {
        phys = devices[d];
        family = f;
        break;
      }
  }
  if (phys == VK_NULL_HANDLE) {
    printf("no Vulkan device with a compute queue\n");
    return NO_DEVICE;
  }
  vkGetPhysicalDeviceProperties(phys, &props);
  printf("device: %s (Vulkan %u.%u)\n", props.deviceName, VK_VERSION_MAJOR(props.apiVersion),
         VK_VERSION_MINOR(props.apiVersion));

  float priority = 1.0f;
  VkDeviceQueueCreateInfo qci = {.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
                                 .queueFamilyIndex = family,
                                 .queueCount = 1,
                                 .pQueuePriorities = &priority};
  VkDeviceCreateInfo dci = {.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO, .queueCreateInfoCount = 1, .pQueueCreateInfos = &qci};
  VkDevice dev;
  CHECK(vkCreateDevice(phys, &dci, NULL, &dev));
  VkQueue queue;
  vkGetDeviceQueue(dev, family, 0, &queue);

  const VkDeviceSize size = 3 * N * sizeof(float);
  VkBufferCreateInfo bci = {.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
                            .size = size,
                            .usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT,
                            .sharingMode = VK_SHARING_MODE_EXCLUSIVE};
  VkBuffer buf;
  CHECK(vkCreateBuffer(dev, &bci, NULL, &buf));
  VkMemoryRequirements req;
  vkGetBufferMemoryRequirements(dev, buf, &req);
  VkPhysicalDeviceMemoryProperties mem;
  vkGetPhysicalDeviceMemoryProperties(phys, &mem);
  const VkMemoryPropertyFlags want = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
  uint32_t type = UINT32_MAX;
  for (uint32_t t = 0; t < mem.memoryTypeCount; t++)
    if ((req.memoryTypeBits & (1u << t)) && (mem.memoryTypes[t].propertyFlags & want) == want) {
      type = t;
      break;
    }
  if (type == UINT32_MAX) {
    printf("no host-visible coherent memory type\n");
    return 1;
  }
  VkMemoryAllocateInfo mai = {.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO, .allocationSize = req.size, .memoryTypeIndex = type};
  VkDeviceMemory memory;
  CHECK(vkAllocateMemory(dev, &mai, NULL, &memory));
  CHECK(vkBindBufferMemory(dev, buf, memory, 0));
  float *data;
  CHECK(vkMapMemory(dev, memory, 0, size, 0, (void **)&data));
  float *a = data, *b = data + N, *c = data + 2 * N;
  for (int i = 0; i < N; i++) {
    a[i] = (float)i;
    b[i] = (float)(2 * i);
    c[i] = -1.0f;
  }

  VkShaderModuleCreateInfo smci = {.sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO, .codeSize = sizeof vadd_spv, .pCode = vadd_spv};
  VkShaderModule shader;
  CHECK(vkCreateShaderModule(dev, &smci, NULL, &shader));
  VkDescriptorSetLayoutBinding binding = {.binding = 0,
                                          .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                                          .descriptorCount = 1,
                                          .stageFlags = VK_SHADER_STAGE_COMPUTE_BIT};
  VkDescriptorSetLayoutCreateInfo dslci = {.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO, .bindingCount = 1, .pBindings = &binding};
  VkDescriptorSetLayout dsl;
  CHECK(vkCreateDescriptorSetLayout(dev, &dslci, NULL, &dsl));
  VkPipelineLayoutCreateInfo plci = {.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO, .setLayoutCount = 1, .pSetLayouts = &dsl};
  VkPipelineLayout layout;
  CHECK(vkCreatePipelineLayout(dev, &plci, NULL, &layout));
  VkComputePipelineCreateInfo cpci = {
      .sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO,
      .stage = {.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO, .stage = VK_SHADER_STAGE_COMPUTE_BIT, .module = shader, .pName = "main"},
      .layout = layout};
  VkPipeline pipeline;
  CHECK(vkCreateComputePipelines(dev, VK_NULL_HANDLE, 1, &cpci, NULL, &pipeline));
  VkDescriptorPoolSize ps = {.type = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, .descriptorCount = 1};
  VkDescriptorPoolCreateInfo dpci = {.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO, .maxSets = 1, .poolSizeCount = 1, .pPoolSizes = &ps};
  VkDescriptorPool pool;
  CHECK(vkCreateDescriptorPool(dev, &dpci, NULL, &pool));
  VkDescriptorSetAllocateInfo dsai = {.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO, .descriptorPool = pool, .descriptorSetCount = 1, .pSetLayouts = &dsl};
  VkDescriptorSet set;
  CHECK(vkAllocateDescriptorSets(dev, &dsai, &set));
  VkDescriptorBufferInfo dbi = {.buffer = buf, .offset = 0, .range = size};
  VkWriteDescriptorSet wds = {.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
                              .dstSet = set,
                              .dstBinding = 0,
                              .descriptorCount = 1,
                              .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                              .pBufferInfo = &dbi};
  vkUpdateDescriptorSets(dev, 1, &wds, 0, NULL);

  VkCommandPoolCreateInfo cpi = {.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO, .queueFamilyIndex = family};
  VkCommandPool cmdPool;
  CHECK(vkCreateCommandPool(dev, &cpi, NULL, &cmdPool));
  VkCommandBufferAllocateInfo cbai = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
                                      .commandPool = cmdPool,
                                      .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
                                      .commandBufferCount = 1};
  VkCommandBuffer cmd;
  CHECK(vkAllocateCommandBuffers(dev, &cbai, &cmd));
  VkCommandBufferBeginInfo begin = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO, .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
  CHECK(vkBeginCommandBuffer(cmd, &begin));
  vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline);
  vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, layout, 0, 1, &set, 0, NULL);
  vkCmdDispatch(cmd, N / GROUP, 1, 1);
  VkMemoryBarrier barrier = {.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER, .srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT, .dstAccessMask = VK_ACCESS_HOST_READ_BIT};
  vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &barrier, 0, NULL, 0, NULL);
  CHECK(vkEndCommandBuffer(cmd));
  VkSubmitInfo submit = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &cmd};
  CHECK(vkQueueSubmit(queue, 1, &submit, VK_NULL_HANDLE));
  CHECK(vkQueueWaitIdle(queue));

  double sum = 0;
  int wrong = 0, first = -1;
  for (int i = 0; i < N; i++) {
    sum += c[i];
    if (c[i] != a[i] + b[i] && wrong++ == 0) first = i;
  }
  printf("vadd of %d floats in %d workgroups: c[0..3] = %g %g %g %g, checksum %.0f (expected %.0f)\n", N, N / GROUP, c[0], c[1],
         c[2], c[3], sum, 3.0 * N * (N - 1) / 2);
  if (wrong) {
    printf("wrong result: %d of %d elements differ (first c[%d] = %g, expected %g)\n", wrong, N, first, c[first], a[first] + b[first]);
    return 1;
  }
  printf("compute ok: compute shader on %s\n", props.deviceName);
  return 0;
}
