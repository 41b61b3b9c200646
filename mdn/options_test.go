package mdn

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
)

// TestOptionErrors checks that every option Train and New refuse is an
// *OptionError naming the field, returned by Validate and by Train (or New)
// alike, and that Train refuses it before it trains.
func TestOptionErrors(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, c := range []struct {
		o      TrainOptions
		option string
	}{
		{TrainOptions{}, "TrainOptions.Epochs"},
		{TrainOptions{Epochs: 1, BatchSize: -1}, "TrainOptions.BatchSize"},
		{TrainOptions{Epochs: 1, Optimizer: "lbfgs"}, "TrainOptions.Optimizer"},
		{TrainOptions{Epochs: 1, Optimizer: "Adam"}, "TrainOptions.Optimizer"},
		{TrainOptions{Epochs: 1, LR: -1}, "TrainOptions.LR"},
		{TrainOptions{Epochs: 1, LR: nan}, "TrainOptions.LR"},
		{TrainOptions{Epochs: 1, LR: inf}, "TrainOptions.LR"},
		{TrainOptions{Epochs: 1, Momentum: 1}, "TrainOptions.Momentum"},
		{TrainOptions{Epochs: 1, Momentum: nan}, "TrainOptions.Momentum"},
		{TrainOptions{Epochs: 1, ValFrac: 1}, "TrainOptions.ValFrac"},
		{TrainOptions{Epochs: 1, ValFrac: -0.1}, "TrainOptions.ValFrac"},
		{TrainOptions{Epochs: 1, Patience: -1}, "TrainOptions.Patience"},
		{TrainOptions{Epochs: 1, Patience: 5}, "TrainOptions.Patience"},
		{TrainOptions{Epochs: 1, Workers: -1}, "TrainOptions.Workers"},
		{TrainOptions{Epochs: 1, Workers: maxWorkers + 1}, "TrainOptions.Workers"},
		{TrainOptions{Epochs: 1, ClipNorm: nan}, "TrainOptions.ClipNorm"},
		{TrainOptions{Epochs: 1, ClipNorm: -1}, "TrainOptions.ClipNorm"},
		{TrainOptions{Epochs: 1, CheckpointEvery: -1}, "TrainOptions.CheckpointEvery"},
		{TrainOptions{Epochs: 1, CheckpointEvery: 1}, "TrainOptions.CheckpointEvery"},
	} {
		var oe *OptionError
		if err := c.o.Validate(); !errors.As(err, &oe) || oe.Option != c.option {
			t.Errorf("%+v: Validate() = %v, want an *OptionError for %s", c.o, err, c.option)
			continue
		}
		if !strings.Contains(oe.Error(), c.option+" = "+oe.Value+", want "+oe.Want) {
			t.Errorf("message %q does not give the option, its value and what it wants", oe)
		}
		m, _ := New(seedCfg, 1)
		if _, err := m.Train(context.Background(), Sinusoid(20, 1, true), c.o); !errors.As(err, &oe) || oe.Option != c.option || m.Epochs() != 0 {
			t.Errorf("%+v: Train error %v after %d epochs, want an *OptionError for %s", c.o, err, m.Epochs(), c.option)
		}
	}
	for _, ok := range []TrainOptions{
		{Epochs: 1},
		{Epochs: 1, Optimizer: SGD, LR: 0.5, Momentum: 0.9, ValFrac: 0.5, Patience: 3, Workers: maxWorkers, ClipNorm: inf, CheckpointEvery: 2, CheckpointPath: "x"},
	} {
		if err := ok.Validate(); err != nil {
			t.Errorf("%+v: Validate() = %v", ok, err)
		}
	}

	for _, c := range []struct {
		cfg    Config
		option string
	}{
		{Config{Out: 1}, "Config.In"},
		{Config{In: 1, Out: maxWidth + 1}, "Config.Out"},
		{Config{In: 1, Out: 1, K: -1}, "Config.K"},
		{Config{In: 1, Out: 1, K: 1 << 10}, ""},
		{Config{In: 1, Out: 1 << 10, K: 1 << 10}, "Config.K"},
		{Config{In: 1, Out: 1, Hidden: make([]int, maxLayers+1)}, "Config.Hidden"},
		{Config{In: 1, Out: 1, Hidden: []int{4, 0}}, "Config.Hidden[1]"},
		{Config{In: 1 << 20, Out: 1, Hidden: []int{1 << 20}}, "Config.Hidden"},
		{Config{In: 1, Out: 1, K: 1, SigmaFloor: inf}, "Config.SigmaFloor"},
		{Config{In: 1, Out: 1, SigmaFloor: 0.1}, "Config.SigmaFloor"},
	} {
		var oe *OptionError
		err := c.cfg.Validate()
		if c.option == "" {
			if err != nil {
				t.Errorf("Config{K: %d, Out: %d}: Validate() = %v", c.cfg.K, c.cfg.Out, err)
			}
			continue
		}
		if !errors.As(err, &oe) || oe.Option != c.option {
			t.Errorf("Config{In: %d, Out: %d, K: %d, %d hidden}: Validate() = %v, want an *OptionError for %s", c.cfg.In, c.cfg.Out, c.cfg.K, len(c.cfg.Hidden), err, c.option)
		}
		if _, err := New(c.cfg, 1); !errors.As(err, &oe) || oe.Option != c.option {
			t.Errorf("New: %v, want an *OptionError for %s", err, c.option)
		}
	}
}

// TestOptionText checks the text forms of Optimizer and HeaderMode, which
// command lines and configuration files parse.
func TestOptionText(t *testing.T) {
	for _, o := range Optimizers() {
		b, _ := o.MarshalText()
		var back Optimizer
		if err := back.UnmarshalText(b); err != nil || back != o {
			t.Errorf("%q: round trip gives %q, %v", o, back, err)
		}
	}
	o := SGD
	if err := o.UnmarshalText([]byte("ADAM")); err == nil || o != SGD || !strings.Contains(err.Error(), "adam, rmsprop or sgd") {
		t.Errorf("UnmarshalText(ADAM): %v, left %q; want an error listing the names and o unchanged", err, o)
	}
	for text, want := range map[string]HeaderMode{"auto": HeaderAuto, "yes": HeaderYes, "true": HeaderYes, "no": HeaderNo, "false": HeaderNo} {
		var h HeaderMode
		if err := h.UnmarshalText([]byte(text)); err != nil || h != want {
			t.Errorf("HeaderMode %q: %v, %v; want %v", text, h, err, want)
		}
	}
	for _, h := range []HeaderMode{HeaderAuto, HeaderYes, HeaderNo} {
		b, _ := h.MarshalText()
		var back HeaderMode
		if err := back.UnmarshalText(b); err != nil || back != h {
			t.Errorf("%v: round trip gives %v, %v", h, back, err)
		}
	}
	var h HeaderMode
	if err := h.UnmarshalText([]byte("maybe")); err == nil {
		t.Error("HeaderMode accepted \"maybe\"")
	}
}
