// Highway dispatch for float to PCM conversion: compiled once per target by foreach_target.h.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/pcm_conversion_hwy.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include "hwy/highway.h"
#include "kernels/pcm_conversion_hwy-inl.h"

HWY_BEFORE_NAMESPACE();
namespace tutti::kernels::HWY_NAMESPACE {

std::size_t ConvertToPcm16(const float* source, std::size_t count, std::int16_t* out) {
  return ToPcm16(source, count, out);
}
std::size_t ConvertToPcm24(const float* source, std::size_t count, std::int32_t* out) {
  return ToPcm24(source, count, out);
}

}  // namespace tutti::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "kernels/hwy_backend.h"

namespace tutti::kernels {

HWY_EXPORT(ConvertToPcm16);
HWY_EXPORT(ConvertToPcm24);

namespace detail {
ToPcm16Fn hwy_to_pcm16() { return &HWY_DYNAMIC_DISPATCH(ConvertToPcm16); }
ToPcm24Fn hwy_to_pcm24() { return &HWY_DYNAMIC_DISPATCH(ConvertToPcm24); }
}  // namespace detail

}  // namespace tutti::kernels
#endif  // HWY_ONCE
