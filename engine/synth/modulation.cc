#include "engine/synth/modulation.h"

#include <array>
#include <cmath>

#include "engine/synth/conversions.h"
#include "engine/synth/voice_generators.h"

namespace tutti::engine::synth {

namespace {

using sf2::GeneralController;
using sf2::Generator;
using sf2::ModulatorSource;
using sf2::SourceCurve;

constexpr ModulatorSource general(GeneralController index, SourceCurve curve, bool bipolar,
                                  bool descending) {
  return ModulatorSource{static_cast<std::uint8_t>(index), false, descending, bipolar,
                         static_cast<std::uint8_t>(curve)};
}
constexpr ModulatorSource controller(int number, SourceCurve curve, bool bipolar,
                                     bool descending) {
  return ModulatorSource{static_cast<std::uint8_t>(number), true, descending, bipolar,
                         static_cast<std::uint8_t>(curve)};
}
constexpr ModulatorSource kNone{};
constexpr std::uint16_t destination(Generator g) { return static_cast<std::uint16_t>(g); }

// The order is FluidSynth's; it decides which modulator a duplicate replaces.
const std::array<VoiceModulator, 11> kDefaults = {{
    // 8.4.1 velocity to attenuation: concave, 96 dB over the velocity range.
    {general(GeneralController::noteOnVelocity, SourceCurve::concave, false, true), kNone,
     destination(Generator::initialAttenuation), 960.0},
    // 8.4.2 velocity to filter cutoff (evaluated as 0, see is_default_velocity_to_filter).
    {general(GeneralController::noteOnVelocity, SourceCurve::linear, false, true),
     general(GeneralController::noteOnVelocity, SourceCurve::switched, false, false),
     destination(Generator::initialFilterFc), -2400.0},
    // 8.4.3 channel pressure to vibrato depth.
    {general(GeneralController::channelPressure, SourceCurve::linear, false, false), kNone,
     destination(Generator::vibLfoToPitch), 50.0},
    // 8.4.4 modulation wheel to vibrato depth.
    {controller(kModulationWheel, SourceCurve::linear, false, false), kNone,
     destination(Generator::vibLfoToPitch), 50.0},
    // 8.4.5 volume (CC7) to attenuation.
    {controller(kVolume, SourceCurve::concave, false, true), kNone,
     destination(Generator::initialAttenuation), 960.0},
    // 8.4.6 pan (CC10): centre 64 is 0, the amount spans half the pan range each way.
    {controller(kPan, SourceCurve::linear, true, false), kNone, destination(Generator::pan),
     500.0},
    // 8.4.7 expression (CC11) to attenuation.
    {controller(kExpression, SourceCurve::concave, false, true), kNone,
     destination(Generator::initialAttenuation), 960.0},
    // 8.4.8 / 8.4.9 effect sends (kept although effects are not rendered).
    {controller(kReverbSend, SourceCurve::linear, false, false), kNone,
     destination(Generator::reverbEffectsSend), 200.0},
    {controller(kChorusSend, SourceCurve::linear, false, false), kNone,
     destination(Generator::chorusEffectsSend), 200.0},
    // 8.4.10 pitch wheel times its sensitivity. The destination is fineTune, since the spec's
    // "initial pitch" is not a generator.
    {general(GeneralController::pitchWheel, SourceCurve::linear, true, false),
     general(GeneralController::pitchWheelSensitivity, SourceCurve::linear, false, false),
     destination(Generator::fineTune), 12700.0},
    // Not in the spec: FluidSynth's CC8 balance, concave and bipolar, 960 cB towards the side
    // away from the controller's direction. Its destination is the voice's balance slot, which
    // no SoundFont modulator can reach.
    {controller(kBalance, SourceCurve::concave, true, false), kNone,
     static_cast<std::uint16_t>(kBalanceSlot), 960.0},
}};

// Controllers that select or carry other data cannot be modulation sources (SF2 2.04 8.2.1).
bool controller_allowed_as_source(int number) {
  switch (number) {
    case kBankSelectMsb:
    case kBankSelectLsb:
    case kDataEntryMsb:
    case kDataEntryLsb:
      return false;
    default:
      break;
  }
  if (number >= 98 && number <= 101) return false;  // (N)RPN selection
  if (number >= 120) return false;                  // channel mode messages
  return true;
}

bool general_source_known(int index) {
  switch (static_cast<GeneralController>(index)) {
    case GeneralController::noController:
    case GeneralController::noteOnVelocity:
    case GeneralController::noteOnKeyNumber:
    case GeneralController::polyPressure:
    case GeneralController::channelPressure:
    case GeneralController::pitchWheel:
    case GeneralController::pitchWheelSensitivity:
      return true;
    default:
      return false;
  }
}

bool source_valid(const ModulatorSource& source) {
  if (source.curve > static_cast<std::uint8_t>(SourceCurve::switched)) return false;
  return source.is_cc ? controller_allowed_as_source(source.index)
                      : general_source_known(source.index);
}

// The raw value of a source and the range it is normalised by. Controllers are divided by 128,
// not 127, as FluidSynth does: full scale is 127/128.
double raw_source(const ModulatorSource& source, const ModulationInputs& in, double& range) {
  range = 128.0;
  if (source.is_cc) return in.channel.controllers[source.index];
  switch (static_cast<GeneralController>(source.index)) {
    case GeneralController::noController:
      return range;
    case GeneralController::noteOnVelocity:
      return in.velocity;
    case GeneralController::noteOnKeyNumber:
      return in.key;
    case GeneralController::polyPressure:
      return in.channel.key_pressure[static_cast<std::size_t>(in.played_key) & 127];
    case GeneralController::channelPressure:
      return in.channel.channel_pressure;
    case GeneralController::pitchWheel:
      range = 16384.0;
      return in.channel.pitch_bend;
    case GeneralController::pitchWheelSensitivity:
      return in.channel.pitch_wheel_sensitivity;
    default:
      return 0.0;
  }
}

double shape(double normalised, const ModulatorSource& source) {
  const auto curve = static_cast<SourceCurve>(source.curve);
  // Unipolar curves on 0..1; bipolar ones are the unipolar curve mirrored around the centre.
  auto unipolar = [curve](double x) {
    switch (curve) {
      case SourceCurve::linear: return x;
      case SourceCurve::concave: return concave_curve(127.0 * x);
      case SourceCurve::convex: return convex_curve(127.0 * x);
      case SourceCurve::switched: return x >= 0.5 ? 1.0 : 0.0;
    }
    return 0.0;
  };
  if (!source.bipolar) {
    // The descending switch flips at the same point as the ascending one (0.5 reads as "on"
    // for the ascending switch and "off" for the descending one).
    if (curve == SourceCurve::switched) {
      const bool on = normalised >= 0.5;
      return (on != source.descending) ? 1.0 : 0.0;
    }
    return unipolar(source.descending ? 1.0 - normalised : normalised);
  }
  double value = 0.0;
  switch (curve) {
    case SourceCurve::linear:
      value = -1.0 + 2.0 * normalised;
      break;
    case SourceCurve::switched:
      value = normalised >= 0.5 ? 1.0 : -1.0;
      break;
    default:
      value = normalised > 0.5 ? unipolar(2.0 * (normalised - 0.5))
                               : -unipolar(2.0 * (0.5 - normalised));
      break;
  }
  return source.descending ? -value : value;
}

double source_value(const ModulatorSource& source, const ModulationInputs& in) {
  double range = 128.0;
  const double raw = raw_source(source, in, range);
  return shape(raw / range, source);
}

}  // namespace

double evaluate(const VoiceModulator& modulator, const ModulationInputs& inputs) {
  if (is_default_velocity_to_filter(modulator)) return 0.0;
  // A primary source of "no controller" makes the modulator output 0 (SF2 2.04 8.2.1).
  if (!modulator.source.is_cc &&
      modulator.source.index == static_cast<std::uint8_t>(GeneralController::noController)) {
    return 0.0;
  }
  const double primary = source_value(modulator.source, inputs);
  if (primary == 0.0) return 0.0;
  double secondary = 1.0;
  const bool amount_source_none =
      !modulator.amount_source.is_cc &&
      modulator.amount_source.index == static_cast<std::uint8_t>(GeneralController::noController);
  if (!amount_source_none) secondary = source_value(modulator.amount_source, inputs);
  const double value = modulator.amount * primary * secondary;
  return modulator.absolute_value ? std::fabs(value) : value;
}

bool from_file(const sf2::Modulator& record, VoiceModulator& out) {
  out.source = ModulatorSource::decode(record.source);
  out.amount_source = ModulatorSource::decode(record.amount_source);
  out.destination = record.destination;
  out.amount = record.amount;
  out.absolute_value = record.transform == static_cast<std::uint16_t>(sf2::ModulatorTransform::absoluteValue);
  if (record.transform != 0 && !out.absolute_value) return false;
  if (record.destination >= sf2::kGeneratorCount) return false;  // links are not supported
  if (!source_valid(out.source) || !source_valid(out.amount_source)) return false;
  // An amount source with "no controller" behaves as a constant 1: mark it unipolar so the
  // lowest-attenuation estimate treats it that way.
  if (!out.amount_source.is_cc &&
      out.amount_source.index == static_cast<std::uint8_t>(GeneralController::noController)) {
    out.amount_source.bipolar = false;
  }
  return true;
}

bool reads_source(const VoiceModulator& modulator, bool is_cc, int index) {
  auto matches = [&](const ModulatorSource& source) {
    return source.is_cc == is_cc && source.index == index;
  };
  return matches(modulator.source) || matches(modulator.amount_source);
}

std::span<const VoiceModulator> default_modulators() { return kDefaults; }

bool is_default_velocity_to_filter(const VoiceModulator& modulator) {
  return modulator.same_identity(kDefaults[1]);
}

}  // namespace tutti::engine::synth
