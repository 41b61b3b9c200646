package mdn

// coverageLevels are the central intervals whose coverage Score reports.
var coverageLevels = [3]float64{0.5, 0.9, 0.95}

// Scores is a mixture model's calibration on a dataset, in the data's
// units.
type Scores struct {
	N   int     // rows
	NLL float64 // mean negative log-likelihood, nats per row (as Loss)

	// CRPS[j] is the mean continuous ranked probability score of target j
	// (closed form, see Mixture.CRPS), in that target's units.
	CRPS []float64

	// Coverage[l][j] is the fraction of rows whose target j lies in the
	// central interval of probability Levels[l] of its marginal, which is
	// Levels[l] for a calibrated model.
	Levels   [3]float64 // 0.5, 0.9, 0.95
	Coverage [3][]float64

	// PIT[i*Out+j] = F_ij(y_ij), the probability integral transform of
	// each target: uniform on (0, 1) for a calibrated model.
	PIT []float32
}

// Score returns the calibration of a mixture model on d: the mean NLL,
// the mean CRPS and the PIT values of each target, and the coverage of the
// 50%, 90% and 95% central intervals (from the PIT: y lies in the central
// interval of probability c exactly when (1 − c)/2 ≤ F(y) ≤ (1 + c)/2).
func (m *Model) Score(d Dataset) (Scores, error) {
	if m.cfg.K == 0 {
		return Scores{}, errNotMixture
	}
	nll, err := m.Loss(d) // checks the shapes and that x and y are finite
	if err != nil {
		return Scores{}, err
	}
	p := m.predictor()
	defer m.release(p)
	n, err := p.begin(d.X, true)
	if err != nil {
		return Scores{}, err
	}
	out := m.cfg.Out
	s := Scores{N: n, NLL: nll, CRPS: make([]float64, out), PIT: make([]float32, n*out), Levels: coverageLevels}
	crps := make([]float32, min(n, p.chunk)*out)
	for lo := 0; lo < n; lo += p.chunk {
		c := min(p.chunk, n-lo)
		mix := p.mixChunk(d.X, lo, c)
		y := d.Y[lo*out : (lo+c)*out]
		mix.cdf(s.PIT[lo*out:(lo+c)*out], y, &p.s)
		mix.crps(crps[:c*out], y, &p.s)
		for i, v := range crps[:c*out] {
			s.CRPS[i%out] += float64(v)
		}
	}
	for j := range s.CRPS {
		s.CRPS[j] /= float64(n)
	}
	col := make([]float32, n)
	for l, c := range s.Levels {
		s.Coverage[l] = make([]float64, out)
		for j := range out {
			for i := range n {
				col[i] = s.PIT[i*out+j]
			}
			s.Coverage[l][j] = Coverage(col, c)
		}
	}
	return s, nil
}
