package mdn

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Optimizer names an optimizer for TrainOptions.Optimizer. Its text form
// (MarshalText, UnmarshalText) is the name, so a command-line flag
// (flag.TextVar) or a configuration file can carry it.
type Optimizer string

// The optimizers, with PyTorch's defaults (see TrainOptions).
const (
	Adam    Optimizer = "adam"
	RMSprop Optimizer = "rmsprop"
	SGD     Optimizer = "sgd"
)

// Optimizers lists the optimizers Train accepts.
func Optimizers() []Optimizer { return []Optimizer{Adam, RMSprop, SGD} }

// MarshalText returns the optimizer's name.
func (o Optimizer) MarshalText() ([]byte, error) { return []byte(o), nil }

// UnmarshalText sets o to the optimizer named by text, one of Optimizers.
func (o *Optimizer) UnmarshalText(text []byte) error {
	if !slices.Contains(Optimizers(), Optimizer(text)) {
		return fmt.Errorf("unknown optimizer %q, want %s", text, optimizerNames)
	}
	*o = Optimizer(text)
	return nil
}

// optimizerNames is "adam, rmsprop or sgd", for messages.
var optimizerNames = func() string {
	var s []string
	for _, o := range Optimizers() {
		s = append(s, string(o))
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}()

// String returns "auto", "yes" or "no".
func (h HeaderMode) String() string {
	switch h {
	case HeaderAuto:
		return "auto"
	case HeaderYes:
		return "yes"
	case HeaderNo:
		return "no"
	}
	return "HeaderMode(" + strconv.Itoa(int(h)) + ")"
}

// MarshalText returns the mode as String does.
func (h HeaderMode) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText sets h from "auto", "yes" (or "true") or "no" (or "false").
func (h *HeaderMode) UnmarshalText(text []byte) error {
	switch string(text) {
	case "auto":
		*h = HeaderAuto
	case "yes", "true":
		*h = HeaderYes
	case "no", "false":
		*h = HeaderNo
	default:
		return fmt.Errorf("header mode %q, want auto, yes or no", text)
	}
	return nil
}

// An OptionError reports an option, a field of Config, TrainOptions,
// CSVOptions, ImportOptions or ExportOptions, whose value New, Train,
// ReadCSV, ImportSafetensors or MarshalSafetensors (and their Validate
// methods) cannot use: Option names the field ("TrainOptions.LR"), Value
// gives its value as text, and Want says what the field accepts.
type OptionError struct {
	Option string
	Value  string
	Want   string
}

func (e *OptionError) Error() string {
	return fmt.Sprintf("mdn: %s = %s, want %s", e.Option, e.Value, e.Want)
}

// optionErr returns an *OptionError for the field option with value v.
func optionErr(option string, v any, want string, a ...any) error {
	var s string
	switch v := v.(type) {
	case rune:
		s = strconv.QuoteRune(v)
	case string:
		s = strconv.Quote(v)
	case []int:
		f := make([]string, len(v))
		for i, x := range v {
			f[i] = strconv.Itoa(x)
		}
		s = strings.Join(f, ",")
	default:
		s = fmt.Sprint(v)
	}
	return &OptionError{Option: option, Value: s, Want: fmt.Sprintf(want, a...)}
}

// maxWorkers bounds TrainOptions.Workers.
const maxWorkers = 1024

// Validate reports the first option that Train would refuse whatever the
// model and data, as an *OptionError; nil if there is none.
func (o TrainOptions) Validate() error {
	const t = "TrainOptions."
	switch {
	case o.Epochs < 1:
		return optionErr(t+"Epochs", o.Epochs, "≥ 1")
	case o.BatchSize < 0:
		return optionErr(t+"BatchSize", o.BatchSize, "≥ 0 (0 for full batch)")
	}
	if err := checkOptimizer(o.Optimizer, o.LR, o.Momentum); err != nil {
		return err
	}
	switch {
	case !(o.ValFrac >= 0 && o.ValFrac < 1):
		return optionErr(t+"ValFrac", o.ValFrac, "a fraction in [0, 1)")
	case o.Patience < 0:
		return optionErr(t+"Patience", o.Patience, "≥ 0")
	case o.Patience > 0 && o.ValFrac == 0:
		return optionErr(t+"Patience", o.Patience, "0 without a validation split")
	case o.Workers < 0 || o.Workers > maxWorkers:
		return optionErr(t+"Workers", o.Workers, "0..%d (0 for 1)", maxWorkers)
	case !(o.ClipNorm >= 0):
		return optionErr(t+"ClipNorm", o.ClipNorm, "≥ 0 (0 for no clipping)")
	case o.CheckpointEvery < 0:
		return optionErr(t+"CheckpointEvery", o.CheckpointEvery, "≥ 0")
	case o.CheckpointEvery > 0 && o.CheckpointPath == "":
		return optionErr(t+"CheckpointEvery", o.CheckpointEvery, "0 without a checkpoint path")
	}
	return nil
}

// checkOptimizer checks TrainOptions' Optimizer ("" for Adam), LR and
// Momentum.
func checkOptimizer(name Optimizer, lr, momentum float64) error {
	const t = "TrainOptions."
	switch {
	case name != "" && !slices.Contains(Optimizers(), name):
		return optionErr(t+"Optimizer", string(name), "%s", optimizerNames)
	case !(lr >= 0) || math.IsInf(lr, 0):
		return optionErr(t+"LR", lr, "a finite value ≥ 0 (0 for the optimizer's default)")
	case !(momentum >= 0 && momentum < 1):
		return optionErr(t+"Momentum", momentum, "a value in [0, 1)")
	}
	return nil
}

// Validate reports the first option ReadCSV would refuse, as an
// *OptionError; nil if there is none.
func (o CSVOptions) Validate() error {
	const c = "CSVOptions."
	comma := o.Comma
	if comma == 0 {
		comma = ','
	}
	switch {
	case o.Header != HeaderAuto && o.Header != HeaderYes && o.Header != HeaderNo:
		return optionErr(c+"Header", int(o.Header), "HeaderAuto, HeaderYes or HeaderNo")
	case !validDelim(comma):
		return optionErr(c+"Comma", o.Comma, "one character other than a quote or a newline")
	case o.Comment != 0 && !validDelim(o.Comment):
		return optionErr(c+"Comment", o.Comment, "one character other than a quote or a newline (0 for none)")
	case o.Comment == comma:
		return optionErr(c+"Comment", o.Comment, "a character other than the delimiter")
	case o.MaxLineBytes < 0:
		return optionErr(c+"MaxLineBytes", o.MaxLineBytes, "≥ 1 (0 for the default)")
	case o.MaxColumns < 0:
		return optionErr(c+"MaxColumns", o.MaxColumns, "≥ 1 (0 for the default)")
	}
	return nil
}

// Validate reports the first field of the configuration that New would
// refuse, as an *OptionError; nil if there is none.
func (c Config) Validate() error {
	_, err := c.validate()
	return err
}

// String returns "auto", "component" or "dimension".
func (o MeanOrder) String() string {
	switch o {
	case OrderAuto:
		return "auto"
	case ComponentMajor:
		return "component"
	case DimensionMajor:
		return "dimension"
	}
	return "MeanOrder(" + strconv.Itoa(int(o)) + ")"
}

// MarshalText returns the order as String does.
func (o MeanOrder) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText sets o from "auto", "component" or "dimension".
func (o *MeanOrder) UnmarshalText(text []byte) error {
	for _, v := range []MeanOrder{OrderAuto, ComponentMajor, DimensionMajor} {
		if string(text) == v.String() {
			*o = v
			return nil
		}
	}
	return fmt.Errorf("μ order %q, want auto, component or dimension", text)
}

// String returns "fold" or "keep".
func (s ScalingMode) String() string {
	switch s {
	case FoldScaling:
		return "fold"
	case KeepScaling:
		return "keep"
	}
	return "ScalingMode(" + strconv.Itoa(int(s)) + ")"
}

// MarshalText returns the mode as String does.
func (s ScalingMode) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText sets s from "fold" or "keep".
func (s *ScalingMode) UnmarshalText(text []byte) error {
	switch string(text) {
	case "fold":
		*s = FoldScaling
	case "keep":
		*s = KeepScaling
	default:
		return fmt.Errorf("scaling mode %q, want fold or keep", text)
	}
	return nil
}

// Validate reports the first option ImportSafetensors would refuse
// whatever the file, as an *OptionError; nil if there is none.
func (o ImportOptions) Validate() error {
	const t = "ImportOptions."
	if o.MeanOrder < OrderAuto || o.MeanOrder > DimensionMajor {
		return optionErr(t+"MeanOrder", int(o.MeanOrder), "OrderAuto, ComponentMajor or DimensionMajor")
	}
	if o.Names != nil {
		if want := o.Names.check(); want != "" {
			return optionErr(t+"Names", o.Names.String(), "%s", want)
		}
	}
	return nil
}

// Validate reports the first option MarshalSafetensors would refuse
// whatever the model, as an *OptionError; nil if there is none.
func (o ExportOptions) Validate() error {
	const t = "ExportOptions."
	if o.Scaling != FoldScaling && o.Scaling != KeepScaling {
		return optionErr(t+"Scaling", int(o.Scaling), "FoldScaling or KeepScaling")
	}
	if o.Names != nil {
		if want := o.Names.check(); want != "" {
			return optionErr(t+"Names", o.Names.String(), "%s", want)
		}
		seen := map[string]bool{}
		for _, h := range append(slices.Clone(o.Names.Hidden), o.Names.Pi, o.Names.Mu, o.Names.Sigma, o.Names.Out) {
			switch {
			case h == "":
			case strings.HasSuffix(h, "*"):
				return optionErr(t+"Names", o.Names.String(), "every hidden layer's name (no %q)", h)
			case !utf8.ValidString(h):
				return optionErr(t+"Names", o.Names.String(), "names of valid UTF-8 (not %q)", h)
			case seen[h]:
				return optionErr(t+"Names", o.Names.String(), "a name of its own for every layer (%q twice)", h)
			}
			seen[h] = true
		}
	}
	return nil
}
