package mdn

import (
	"fmt"
	"math"
)

// Scaling is the standardisation a model applies to its data, column by
// column: the network sees the inputs (x − XMean)/XStd and is fitted to the
// targets (y − YMean)/YStd ("model units"), and every prediction is turned
// back into the data's own units. It is part of the model and is saved with
// it.
//
// A model without a scaling works in the data's units directly, as the seed
// experiment and imported PyTorch models do.
type Scaling struct {
	XMean, XStd []float64 // one per input column; every XStd > 0
	YMean, YStd []float64 // one per target column; every YStd > 0
}

// ScalingOf returns the mean and standard deviation of every column of d
// (over all its rows, the population standard deviation: the sum of squared
// deviations divided by N, in float64). A constant column gets standard
// deviation 1, so it is only centred.
func ScalingOf(d Dataset) Scaling {
	s := Scaling{
		XMean: make([]float64, d.In), XStd: make([]float64, d.In),
		YMean: make([]float64, d.Out), YStd: make([]float64, d.Out),
	}
	n := len(d.X) / max(d.In, 1)
	columnStats(s.XMean, s.XStd, d.X, n, d.In)
	columnStats(s.YMean, s.YStd, d.Y, n, d.Out)
	return s
}

// columnStats sets mean[j] and std[j] for the n rows of v with cols values
// each. Two passes: the mean, then the squared deviations from it.
func columnStats(mean, std []float64, v []float32, n, cols int) {
	for j := range cols {
		var s float64
		constant := true
		for i := range n {
			x := v[i*cols+j]
			s += float64(x)
			constant = constant && x == v[j]
		}
		if n == 0 {
			mean[j], std[j] = 0, 1
			continue
		}
		m := s / float64(n)
		if constant {
			mean[j], std[j] = float64(v[j]), 1
			continue
		}
		var ss float64
		for i := range n {
			e := float64(v[i*cols+j]) - m
			ss += e * e
		}
		mean[j], std[j] = m, math.Sqrt(ss/float64(n))
		if !(std[j] > 0) || math.IsInf(std[j], 0) {
			std[j] = 1
		}
	}
}

// validate checks s against a model of in inputs and out targets.
func (s Scaling) validate(in, out int) error {
	if len(s.XMean) != in || len(s.XStd) != in || len(s.YMean) != out || len(s.YStd) != out {
		return fmt.Errorf("mdn: scaling has %d/%d input and %d/%d target columns (means/deviations), the model %d and %d",
			len(s.XMean), len(s.XStd), len(s.YMean), len(s.YStd), in, out)
	}
	check := func(what string, mean, std []float64) error {
		for j := range mean {
			if math.IsNaN(mean[j]) || math.IsInf(mean[j], 0) || math.Abs(mean[j]) > math.MaxFloat32 {
				return fmt.Errorf("mdn: scaling: %s column %d: mean %v is not a finite float32", what, j, mean[j])
			}
			if !(std[j] > 0) || std[j] > math.MaxFloat32 || math.IsInf(1/std[j], 0) {
				return fmt.Errorf("mdn: scaling: %s column %d: standard deviation %v, want a finite value > 0", what, j, std[j])
			}
		}
		return nil
	}
	if err := check("input", s.XMean, s.XStd); err != nil {
		return err
	}
	return check("target", s.YMean, s.YStd)
}

func (s Scaling) clone() Scaling {
	c := func(v []float64) []float64 { return append([]float64(nil), v...) }
	return Scaling{XMean: c(s.XMean), XStd: c(s.XStd), YMean: c(s.YMean), YStd: c(s.YStd)}
}

// units is a model's Scaling with what the transforms use precomputed.
type units struct {
	s           Scaling
	xInv, yInv  []float64 // 1/XStd, 1/YStd
	yLogStd     []float64 // log YStd
	logJacobian float64   // Σ_d log YStd[d]
	mseW        []float32 // YStd² as float32: a target's weight in the data-unit MSE
}

func newUnits(s Scaling) *units {
	u := &units{s: s.clone()}
	s = u.s
	inv := func(v []float64) []float64 {
		r := make([]float64, len(v))
		for i, x := range v {
			r[i] = 1 / x
		}
		return r
	}
	u.xInv, u.yInv = inv(s.XStd), inv(s.YStd)
	for _, sd := range s.YStd {
		l := math.Log(sd)
		u.yLogStd = append(u.yLogStd, l)
		u.logJacobian += l
		u.mseW = append(u.mseW, float32(min(sd*sd, math.MaxFloat32)))
	}
	return u
}

// Scaling returns a copy of the model's standardisation and true, or false
// when the model works in the data's units.
func (m *Model) Scaling() (Scaling, bool) {
	if m.units == nil {
		return Scaling{}, false
	}
	return m.units.s.clone(), true
}

// SetScaling gives the model a standardisation (see Scaling); the zero
// Scaling removes it. The parameters are kept as they are, so this changes
// what the model predicts: it is for a fresh model before training (as
// TrainOptions.Standardize does), or for an imported network that was
// trained on data standardised this way.
func (m *Model) SetScaling(s Scaling) error {
	if s.XMean == nil && s.XStd == nil && s.YMean == nil && s.YStd == nil {
		m.units = nil
		m.setFloors()
		return nil
	}
	if err := s.validate(m.cfg.In, m.cfg.Out); err != nil {
		return err
	}
	m.units = newUnits(s)
	m.setFloors()
	return nil
}

// The two unit transforms. Every prediction and every training step goes
// through them, so that users see their own units:
//
//   - toModelUnits, on the input side: x rows (and, where a likelihood is
//     computed in model units, y rows) from data units to model units,
//     before the network's forward pass;
//   - headToData, on the output side: the network's head from model units
//     to data units, after the forward pass (the σ floor already applied).
//
// A log-likelihood computed from a model-unit head and model-unit targets
// becomes one in data units by subtracting logJacobian() = Σ_d log YStd[d]
// (p_data(y) = p_model(y′)/Π_d YStd[d]); a negative log-likelihood, by
// adding it.

// toModelUnits writes rows of src (cols values each, data units) into dst in
// model units, (v − mean)/std computed in float64 and rounded once (to at
// most ±MaxFloat32, so a finite input stays finite), and
// returns dst[:len(src)]. side is 'x' for inputs or 'y' for targets. Without
// a scaling it returns src itself and leaves dst alone (dst may then be
// nil); otherwise len(dst) ≥ len(src).
func (m *Model) toModelUnits(dst, src []float32, side byte) []float32 {
	u := m.units
	if u == nil {
		return src
	}
	mean, inv := u.s.XMean, u.xInv
	if side == 'y' {
		mean, inv = u.s.YMean, u.yInv
	}
	cols := len(mean)
	dst = dst[:len(src)]
	for i := 0; i < len(src); i += cols {
		for j := range cols {
			dst[i+j] = toFloat32((float64(src[i+j]) - mean[j]) * inv[j])
		}
	}
	return dst
}

// headToData turns n rows of head output in place from model units into
// data units. A mixture head [logits K | μ K·D | logσ K·D] gets
// μ_kd ← YMean_d + YStd_d·μ_kd and logσ_kd ← logσ_kd + log YStd_d (so
// σ ← YStd·σ); the logits, hence π, are unchanged. A plain head (K = 0)
// gets out_d ← YMean_d + YStd_d·out_d. Each value is computed in float64
// and rounded once (a mean to at most ±MaxFloat32). Without a scaling it
// does nothing.
func (m *Model) headToData(head []float32, n int) {
	u := m.units
	if u == nil {
		return
	}
	k, d := m.cfg.K, m.cfg.Out
	mean, std := u.s.YMean, u.s.YStd
	if k == 0 {
		for r := range n {
			row := head[r*d : (r+1)*d]
			for j := range row {
				row[j] = toFloat32(mean[j] + std[j]*float64(row[j]))
			}
		}
		return
	}
	kd, hw := k*d, m.cfg.headWidth()
	for r := range n {
		mu := head[r*hw+k : r*hw+k+kd]
		ls := head[r*hw+k+kd : (r+1)*hw]
		for c := range k {
			for j := range d {
				mu[c*d+j] = toFloat32(mean[j] + std[j]*float64(mu[c*d+j]))
				ls[c*d+j] = float32(float64(ls[c*d+j]) + u.yLogStd[j])
			}
		}
	}
}

// logJacobian returns Σ_d log YStd[d], the difference between a negative
// log-likelihood in data units and the same in model units (0 without a
// scaling).
func (m *Model) logJacobian() float64 {
	if m.units == nil {
		return 0
	}
	return m.units.logJacobian
}

// toFloat32 rounds v to float32, saturating at ±MaxFloat32 instead of
// overflowing to ±Inf.
func toFloat32(v float64) float32 {
	return float32(max(-math.MaxFloat32, min(v, math.MaxFloat32)))
}

// setFloors sets the per-target log σ floors in model units:
// log(SigmaFloor) − log YStd[d], so the floor holds in data units.
func (m *Model) setFloors() {
	m.logFloors = nil
	if m.cfg.SigmaFloor <= 0 {
		return
	}
	lf := math.Log(m.cfg.SigmaFloor)
	m.logFloors = make([]float32, m.cfg.Out)
	for j := range m.logFloors {
		v := lf
		if m.units != nil {
			v -= m.units.yLogStd[j]
		}
		m.logFloors[j] = float32(v)
	}
}
