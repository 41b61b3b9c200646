// Command mdn trains and uses Mixture Density Networks on the mdnsimd
// kernels.
//
// Usage:
//
//	mdn demo    [flags]            the inverted-sinusoid experiment, with plots
//	mdn train   [flags] data.csv   train a model on CSV data
//	mdn eval    [flags] data.csv   mean negative log-likelihood of CSV data under a model
//	mdn sample  [flags]            samples, mean or mode of p(y|x) as CSV
//	mdn import  [flags]            a PyTorch network from a safetensors file
//	mdn export  [flags]            a model as a PyTorch state dict in safetensors
//	mdn cpu                        the processor and the kernel path in use
//
// Run "mdn <command> -h" for a command's flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
)

// Exit statuses.
const (
	exitOK        = 0
	exitError     = 1   // bad data, unreadable files, training failures
	exitUsage     = 2   // bad command line
	exitInterrupt = 130 // stopped by Ctrl-C (after saving a checkpoint)
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), interruptSignals...)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type command struct {
	name, synopsis string
	run            func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

var commands = []command{
	{"demo", "reproduce the inverted-sinusoid experiment (MLP vs MDN) with plots", runDemo},
	{"train", "train a model on CSV data", runTrain},
	{"eval", "mean negative log-likelihood (or MSE) of CSV data under a model", runEval},
	{"sample", "samples, mean or mode of p(y|x) for given inputs, as CSV", runSample},
	{"import", "import a PyTorch network from a safetensors file", runImport},
	{"export", "export a model as a PyTorch state dict in a safetensors file", runExport},
	{"cpu", "report the processor, its caches and the kernel path in use", runCPU},
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "mdn trains and uses Mixture Density Networks on SIMD kernels.\n\nUsage:\n\n  mdn <command> [flags] [arguments]\n\nCommands:\n\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.synopsis)
	}
	fmt.Fprintf(w, "\nRun \"mdn <command> -h\" for a command's flags. Start with \"mdn demo\".\n")
}

// run executes the command line args (without the program name) and returns
// the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 && args[0] == "help" {
			return run(ctx, []string{args[1], "-h"}, stdout, stderr)
		}
		usage(stdout)
		return exitOK
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], stdout, stderr)
		var ue usageError
		if msg, ok := optionFlag(err); ok {
			ue = usageError{errors.New(msg)}
			err = ue
		}
		switch {
		case err == nil:
			return exitOK
		case errors.Is(err, flag.ErrHelp):
			return exitOK
		case errors.As(err, &ue):
			if ue.err != nil {
				fmt.Fprintf(stderr, "mdn %s: %v\n", c.name, ue.err)
			}
			fmt.Fprintf(stderr, "Run \"mdn %s -h\" for usage.\n", c.name)
			return exitUsage
		case errors.Is(err, errInterrupted):
			return exitInterrupt
		default:
			fmt.Fprintf(stderr, "mdn %s: %v\n", c.name, err)
			return exitError
		}
	}
	fmt.Fprintf(stderr, "mdn: unknown command %q\n\n", args[0])
	usage(stderr)
	return exitUsage
}

// usageError marks a problem with the command line (exit status 2). An
// *mdn.OptionError about an option a flag sets is one too: run reports it
// with the flag's name (see optionFlag).
type usageError struct{ err error }

func (e usageError) Error() string {
	if e.err == nil {
		return "usage error"
	}
	return e.err.Error()
}

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

var errInterrupted = errors.New("interrupted")

// newFlags returns a flag set for one command whose -h prints the synopsis,
// the description and every flag to stdout.
func newFlags(name, synopsis, description string, stdout, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("mdn "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: mdn %s %s\n\n%s\n", name, synopsis, strings.TrimSpace(description))
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintf(w, "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parseFlags parses args, allowing flags after positional arguments
// ("mdn train data.csv -epochs 10"); "--" ends the flags. -h prints the
// usage to stdout and returns flag.ErrHelp; any other problem is a
// usageError (the flag package has already printed the reason).
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) ([]string, error) {
	printUsage := fs.Usage
	fs.Usage = func() {} // on errors the flag package prints only the reason
	defer func() { fs.Usage = printUsage }()
	var pos []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			out := fs.Output()
			fs.SetOutput(stdout)
			printUsage()
			fs.SetOutput(out)
			return nil, flag.ErrHelp
		}
		if err != nil {
			return nil, usageError{}
		}
		rest := fs.Args()
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
