package mdn_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/mdnsimd/mdnsimd/mdn"
)

// Fit a mixture density network to the inverted sinusoid, where one input
// has several valid outputs, then save it, load it back and draw samples.
func Example() {
	train := mdn.Sinusoid(300, 1, true) // y → x: up to seven branches per input
	m, err := mdn.New(mdn.Config{In: 1, Out: 1, Hidden: []int{20}, K: 5}, 1)
	if err != nil {
		panic(err)
	}
	res, err := m.Train(context.Background(), train, mdn.TrainOptions{
		Epochs: 300, LR: 0.02, // Adam, full batch
	})
	if err != nil {
		panic(err)
	}
	held := mdn.SinusoidDraw(1000, 2, true)
	nll, _ := m.Loss(held)
	fmt.Printf("trained %d epochs; held-out NLL below 2.2 nats: %v\n", res.Epochs, nll < 2.2)

	dir, err := os.MkdirTemp("", "mdn-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "sinusoid.mdn")
	if err := m.Save(path); err != nil {
		panic(err)
	}
	m2, err := mdn.Load(path)
	if err != nil {
		panic(err)
	}
	x := []float32{0, 0, 0, 0, 0, 0, 0, 0} // eight samples of x given y = 0
	s, _ := m2.Sample(x, rand.New(rand.NewPCG(1, 1)), 1, 1)
	mix, _ := m2.Mixture(x[:1])
	fmt.Println(len(s), "samples from a mixture of", mix.K, "components")
	// Output:
	// trained 300 epochs; held-out NLL below 2.2 nats: true
	// 8 samples from a mixture of 5 components
}

// The plain network (K = 0) is the baseline: mean squared error, one output.
func ExampleModel_Predict() {
	train := mdn.Sinusoid(200, 1, false) // x → y: a function, fine for an MLP
	m, _ := mdn.New(mdn.Config{In: 1, Out: 1, Hidden: []int{20}}, 1)
	if _, err := m.Train(context.Background(), train, mdn.TrainOptions{Epochs: 100, Optimizer: mdn.RMSprop}); err != nil {
		panic(err)
	}
	y, _ := m.Predict([]float32{-5, 0, 5})
	fmt.Println(len(y), "predictions")
	// Output: 3 predictions
}
