package main

import (
	"fmt"
	"image/color"
	"io"

	"github.com/mdnsimd/mdnsimd/internal/atomicfile"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// series is one layer of a plot: points or a line through (x[i], y[i]).
type series struct {
	label string
	x, y  []float32
	line  bool
	color color.Color
}

var (
	colorData   = color.NRGBA{R: 31, G: 119, B: 180, A: 90} // translucent blue
	colorModel  = color.NRGBA{R: 214, G: 39, B: 40, A: 255} // red
	colorSample = color.NRGBA{R: 214, G: 39, B: 40, A: 110} // translucent red
)

// savePNG draws the series on one set of axes and writes a PNG to path
// (through a temporary file, so a failed write leaves no partial image).
func savePNG(path, title, xlabel, ylabel string, ss ...series) error {
	p := plot.New()
	p.Title.Text = title
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.Add(plotter.NewGrid())
	for _, s := range ss {
		xys := make(plotter.XYs, len(s.x))
		for i := range xys {
			xys[i] = plotter.XY{X: float64(s.x[i]), Y: float64(s.y[i])}
		}
		if s.line {
			l, err := plotter.NewLine(xys)
			if err != nil {
				return fmt.Errorf("plot %s: %w", path, err)
			}
			l.Color = s.color
			l.Width = vg.Points(2)
			p.Add(l)
			if s.label != "" {
				p.Legend.Add(s.label, l)
			}
			continue
		}
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return fmt.Errorf("plot %s: %w", path, err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: s.color, Radius: vg.Points(1.6), Shape: draw.CircleGlyph{}}
		p.Add(sc)
		if s.label != "" {
			p.Legend.Add(s.label, sc)
		}
	}
	p.Legend.Top = true
	p.Legend.Left = true
	wt, err := p.WriterTo(8*vg.Inch, 5*vg.Inch, "png")
	if err != nil {
		return fmt.Errorf("plot %s: %w", path, err)
	}
	err = atomicfile.Write(path, func(w io.Writer) error {
		_, err := wt.WriteTo(w)
		return err
	})
	if err != nil {
		return fmt.Errorf("plot %s: %w", path, err)
	}
	return nil
}

// pitBins is the number of bars of the PIT histogram: 20 bins of 0.05.
const pitBins = 20

// savePITHistogram writes a PNG histogram of the PIT values, as a density
// on [0, 1] with the uniform density 1 drawn across it.
func savePITHistogram(path, title string, pit []float32) error {
	p := plot.New()
	p.Title.Text = title
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = "PIT = F(y), the predicted CDF at the observed target"
	p.Y.Label.Text = "density"
	p.Add(plotter.NewGrid())
	// Bins fixed to [0, 1] (gonum would take the data's range).
	counts := make([]float64, pitBins)
	for _, u := range pit {
		counts[min(pitBins-1, max(0, int(float64(u)*pitBins)))]++
	}
	bins := make([]plotter.HistogramBin, pitBins)
	top := 1.0
	for i, c := range counts {
		w := c * pitBins / float64(max(1, len(pit)))
		bins[i] = plotter.HistogramBin{Min: float64(i) / pitBins, Max: float64(i+1) / pitBins, Weight: w}
		top = max(top, w)
	}
	h := &plotter.Histogram{Bins: bins, Width: 1.0 / pitBins, FillColor: colorData, LineStyle: plotter.DefaultLineStyle}
	p.Add(h)
	uniform, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 1}, {X: 1, Y: 1}})
	if err != nil {
		return fmt.Errorf("plot %s: %w", path, err)
	}
	uniform.Color = colorModel
	uniform.Width = vg.Points(2)
	p.Add(uniform)
	p.Legend.Add("calibrated (uniform)", uniform)
	p.Legend.Top = true
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1.2*top // room for the legend
	wt, err := p.WriterTo(8*vg.Inch, 5*vg.Inch, "png")
	if err != nil {
		return fmt.Errorf("plot %s: %w", path, err)
	}
	err = atomicfile.Write(path, func(w io.Writer) error {
		_, err := wt.WriteTo(w)
		return err
	})
	if err != nil {
		return fmt.Errorf("plot %s: %w", path, err)
	}
	return nil
}
