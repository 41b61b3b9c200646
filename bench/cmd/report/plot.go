package main

import (
	"fmt"
	"math"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// series collects, for one family and unit, a line per implementation of
// value against size, where size(k) returns the x value or false to skip.
func series(rs *results, families []string, unit string, size func(key) (float64, bool), y func(float64) float64) map[string]plotter.XYs {
	out := map[string]plotter.XYs{}
	for _, k := range rs.order {
		if !slices.Contains(families, k.family) {
			continue
		}
		x, ok := size(k)
		if !ok {
			continue
		}
		v, ok := rs.get(k, unit)
		if !ok || v <= 0 {
			continue
		}
		name := k.impl
		switch {
		case k.family == "Linear":
			name += " (no tanh)"
		case k.family == "Tanh" && k.impl == "vek":
			name += " (composed from Exp)"
		}
		out[name] = append(out[name], plotter.XY{X: x, Y: y(v)})
	}
	for _, xy := range out {
		sort.Slice(xy, func(i, j int) bool { return xy[i].X < xy[j].X })
	}
	return out
}

// squareSize returns n for a size n×n×n.
func squareSize(k key) (float64, bool) {
	p := strings.Split(k.size, "x")
	if len(p) != 3 || p[0] != p[1] || p[1] != p[2] {
		return 0, false
	}
	n, err := strconv.Atoi(p[0])
	return float64(n), err == nil
}

func vecSize(k key) (float64, bool) {
	n, err := strconv.Atoi(k.size)
	return float64(n), err == nil
}

func newLogPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = powerOfTwoTicks{}
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = oneTwoFiveTicks{}
	p.Legend.Top = true
	p.Legend.Left = true
	p.Add(plotter.NewGrid())
	return p
}

// powerOfTwoTicks labels every power of two in range (k-suffixed from 1024).
type powerOfTwoTicks struct{}

func (powerOfTwoTicks) Ticks(lo, hi float64) []plot.Tick {
	var t []plot.Tick
	for v := 1.0; v <= hi*1.0001; v *= 2 {
		if v < lo*0.9999 {
			continue
		}
		l := strconv.FormatFloat(v, 'f', 0, 64)
		if v >= 1024 {
			l = strconv.FormatFloat(v/1024, 'f', 0, 64) + "k"
		}
		t = append(t, plot.Tick{Value: v, Label: l})
	}
	return t
}

// oneTwoFiveTicks labels 1, 2, 5 times every power of ten in range.
type oneTwoFiveTicks struct{}

func (oneTwoFiveTicks) Ticks(lo, hi float64) []plot.Tick {
	var t []plot.Tick
	for d := math.Pow(10, math.Floor(math.Log10(lo))); d <= hi; d *= 10 {
		for _, m := range []float64{1, 2, 5} {
			if v := m * d; v >= lo*0.9999 && v <= hi*1.0001 {
				t = append(t, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', -1, 64)})
			}
		}
	}
	return t
}

func addSeries(p *plot.Plot, s map[string]plotter.XYs) error {
	names := make([]string, 0, len(s))
	for n := range s {
		names = append(names, n)
	}
	sort.SliceStable(names, func(i, j int) bool {
		a, b := implRank(baseImpl(names[i])), implRank(baseImpl(names[j]))
		if a != b {
			return a < b
		}
		return names[i] < names[j]
	})
	for i, n := range names {
		l, pts, err := plotter.NewLinePoints(s[n])
		if err != nil {
			return err
		}
		l.Color = plotutil.Color(i)
		l.Width = vg.Points(1.5)
		if anchor(n) { // the C libraries dashed, Go implementations solid
			l.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
		}
		pts.Color = l.Color
		pts.Shape = plotutil.Shape(i)
		if slices.Contains(kernelImpls, baseImpl(n)) {
			l.Width = vg.Points(3)
		}
		p.Add(l, pts)
		p.Legend.Add(n, l, pts)
	}
	// Room above the data for the legend: the y axis is logarithmic, so
	// the top is raised by a factor per legend entry.
	p.Y.Max *= math.Pow(1.25, float64(len(names)))
	return nil
}

// baseImpl strips the legend's annotation from a series name.
func baseImpl(name string) string {
	name, _, _ = strings.Cut(name, " (")
	return name
}

func anchor(name string) bool {
	for _, a := range []string{"openblas", "onednn", "sleef", "libm"} {
		if strings.HasPrefix(name, a) {
			return true
		}
	}
	return false
}

// plotThroughput draws linear+tanh GFLOP/s against the square size n (n×n×n)
// and tanh throughput against vector length, side by side.
func plotThroughput(rs *results, path string) error {
	gemm := series(rs, []string{"LinearTanh", "Linear"}, "GFLOP/s", func(k key) (float64, bool) {
		if k.family == "Linear" && k.impl != "openblas" { // sgemm alone, for reference
			return 0, false
		}
		return squareSize(k)
	}, func(v float64) float64 { return v })
	tanh := series(rs, []string{"Tanh"}, "ns/elem", vecSize, func(v float64) float64 { return 1 / v })
	if len(gemm) == 0 && len(tanh) == 0 {
		return fmt.Errorf("no LinearTanh or Tanh results to plot")
	}
	p1 := newLogPlot("linear+tanh, rows = in = out = n (one thread)", "n", "GFLOP/s")
	if err := addSeries(p1, gemm); err != nil {
		return err
	}
	p2 := newLogPlot("tanh over a vector, one thread", "elements", "Gelem/s")
	if err := addSeries(p2, tanh); err != nil {
		return err
	}
	img := vgimg.New(vg.Points(1100), vg.Points(480))
	dc := draw.New(img)
	t := draw.Tiles{Rows: 1, Cols: 2, PadX: vg.Points(20), PadTop: vg.Points(6), PadBottom: vg.Points(6), PadLeft: vg.Points(6), PadRight: vg.Points(6)}
	c := plot.Align([][]*plot.Plot{{p1, p2}}, t, dc)
	p1.Draw(c[0][0])
	p2.Draw(c[0][1])
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
