// Package mdn trains Mixture Density Networks (Bishop, 1994) on the mdnsimd
// kernels: a tanh network whose fused head gives, for each input x, the
// weights π_k, means μ_k and standard deviations σ_k (diagonal) of a
// Gaussian mixture p(y|x) = Σ_k π_k N(y; μ_k, σ_k²). With K = 0 the same
// network has a plain linear output trained with mean squared error, the
// baseline that fits the average of a multi-valued relation.
//
// Data comes in as a Dataset (NewDataset, FromRows, FromMatrix, ReadCSV, or
// the seed experiment's Sinusoid); the model's API is:
//
//	New(Config, seed) (*Model, error)     PyTorch's default Linear initialisation
//	(*Model).Train(ctx, Dataset, TrainOptions) (Result, error)
//	(*Model).Loss(Dataset)                mean NLL (mixture) or MSE (K = 0)
//	(*Model).Mixture(x)                   π, μ, σ for each row of x
//	(*Model).LogLik(x, y)                 log p(y|x) per row
//	(*Model).Sample(x, rng, tempPi, tempSigma), Mean(x), Mode(x), Predict(x)
//	(*Model).Score(Dataset)               NLL, CRPS, PIT and interval coverage
//	(*Model).NewPredictor() *Predictor    prediction without allocation (below)
//	Mixture: Mean, Variance, Std, Mode, CDF, PIT, Quantiles, Interval, Density, CRPS
//	Coverage(pit, c)                      the share of PIT values in a central interval
//	(*Model).Save(path), Load(path)       atomic, versioned, checksummed file
//	WriteTo/ReadFrom, MarshalBinary/UnmarshalBinary
//	Config(), NumParams(), Params(), SetParams(), Epochs(), IsMixture()
//	Scaling(), SetScaling(), ScalingOf(Dataset)   the model's units
//	Columns(), SetColumns()               the training columns' names
//	ImportSafetensors, LoadSafetensors    a PyTorch state dict (safetensors) as a model
//	(*Model).MarshalSafetensors, SaveSafetensors   and back
//	NameMap, SeedNames, HeadNames, ParseNameMap    which tensor is which layer
//	ErrNonFinite (training diverged), ErrFormat (bad model or safetensors file)
//
// PyTorch interchange: a network is hidden nn.Linear layers each followed by
// nn.Tanh, and heads pi (π = softmax), mu (μ, K·D outputs, component-major:
// mu(h).view(-1, K, D)) and sigma (σ = exp), or one linear output for a
// plain network. ImportSafetensors reads such a state dict (F32, F64
// rounded once, F16, BF16) under the seed module's names (z_h.0, z_h.2, ...,
// z_pi, z_mu, z_sigma), the pi/mu/sigma layout, a plain nn.Sequential, or
// a NameMap; MarshalSafetensors writes one that PyTorch's load_state_dict
// takes with strict=True, folding a Scaling into the weights or keeping it
// in the metadata. A malformed file, or one that does not form such a
// network, is an error wrapping ErrFormat that names the tensor. Details
// are at NameMap and ImportSafetensors.
//
// Units: TrainOptions.Standardize gives a fresh model the mean and standard
// deviation of every input and target column of its training rows (a
// Scaling, saved with the model). The network then works in model units,
// (v − mean)/std, and every prediction is turned back: Mixture's μ and σ,
// Mean, Mode, Sample, Predict, LogLik and Loss (with the Jacobian:
// log p(y) = log p′(y′) − Σ_d log std_d), the σ floor and the losses Train
// reports are all in the data's own units. Without it (the default, and
// the seed experiment's setting) the network fits raw values. Two methods
// carry the transform, and every prediction path goes through them: an
// input transform applied to x rows (and to y rows where a likelihood is
// computed in model units) before the forward pass, and an output
// transform that maps the head's μ and logσ to data units after it.
//
// Prediction: a Predictor (Model.NewPredictor) answers every query for
// the rows of x into slices the caller owns, and allocates nothing once it
// has served its largest call. Per chunk of rows it runs the network's
// layers, then the softmax of the logits and the exponential of the log σ
// over the whole chunk, and derives every query from that mixture, in the
// data's units: the mixture itself, mean, variance and standard deviation
// (law of total variance), mode, log-likelihood (the mixture kernel on the
// head), samples (components and normals drawn in bulk from a SplitMix64
// generator, deterministic for a seed), the marginal CDF and PIT values,
// quantiles at any levels and central intervals (|F(q) − α| ≤
// 1e-6·min(α, 1 − α) + 1e-17, or within one float32 step of the exact
// quantile where the CDF is steeper than float32 resolves), the density on
// a grid and the closed-form CRPS of a Gaussian mixture. The same queries
// are methods of Mixture, and the Model's prediction methods are
// conveniences built on a Predictor: they keep Predictors in a pool
// between calls, so that a call allocates only the slice it returns.
//
// Training runs every forward and backward pass through the dispatched
// kernels: mdnsimd.LinearTanh for hidden layers, mdnsimd.Linear for the head
// GEMM producing [logits K | μ K·D | logσ K·D] per row, mdnsimd.MixtureNLLGrad
// (log-sum-exp form) for the loss and its gradient, and
// mdnsimd.LinearTanhGradWeights, LinearGradWeights and LinearGradInput
// backward. The trainer owns all buffers: after its first step a training
// step allocates nothing. It supports full-batch and shuffled minibatch
// training; Adam, RMSprop and SGD with PyTorch's defaults; a validation split
// with early stopping; global-norm gradient clipping; a σ floor
// (Config.SigmaFloor); data-parallel workers with a deterministic reduction;
// checkpoints and resuming; and it stops with an error wrapping ErrNonFinite,
// keeping the last good parameters, if the loss diverges. Model files and
// checkpoints are written with the permissions os.Create would give (0666
// less the umask).
//
// Workers: TrainOptions.Workers > 1 splits every step's rows into fixed
// shards run by goroutines started once per Train call; between steps they
// busy-wait for a few microseconds before parking, so a step of even a
// small model pays no scheduler wake-up. Parallelism pays once a step has
// a few hundred rows per worker (the seed experiment's 1000 rows are
// enough); below that, use one worker.
//
// Determinism: the same seeds, data, options and Workers give bit-identical
// parameters on the same kernel path. Different kernel paths (AVX2+FMA,
// NEON, generic) or Workers values round differently.
//
// Concurrency: a Predictor holds mutable scratch and a generator, so it is
// for one goroutine at a time: make one per goroutine. Predictors and the
// Model's prediction methods only read the model, so any number may run on
// one model at once; Train, SetParams, SetScaling, UnmarshalBinary and
// ReadFrom modify the model and need exclusive use.
package mdn
