package conversionrules

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
)

// Catalog is the set of compiled rules: the built-in flavor templates,
// plus the template directories and plugins added to it. It is safe for
// concurrent use; adding or reloading templates swaps them in atomically,
// and a template that fails to reload keeps its previous version.
type Catalog struct {
	guarded[cCatalog]
	// directories are the template directories to reload, in the order added.
	directoriesLock sync.Mutex
	directories     []string
}

// Diagnostic is one finding of the template loader, placed in its file.
type Diagnostic struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Severity string `json:"severity"` // "error" or "warning"
	Message  string `json:"message"`
}

// String gives the diagnostic as compilers do: file:line:column: severity: message.
func (d Diagnostic) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s", d.File, d.Line, d.Column, d.Severity, d.Message)
}

// RuleInfo describes one rule of a catalog.
type RuleInfo struct {
	Rule         string   `json:"rule"` // FLAVOR:SERVICE
	Conversions  []string `json:"conversions"`
	TaskType     string   `json:"task_type"`
	DefaultModel string   `json:"default_model"`
	Endpoints    []string `json:"endpoints"`
}

// Open opens a catalog of the built-in templates. Close it when done.
func Open() (*Catalog, error) {
	handle, err := catalogOpen()
	if err != nil {
		return nil, err
	}
	catalog := &Catalog{guarded: guarded[cCatalog]{handle: handle}}
	runtime.SetFinalizer(catalog, (*Catalog).Close)
	return catalog, nil
}

// Close frees the catalog. Rules taken from it stay usable until they are
// closed. Closing twice is harmless.
func (c *Catalog) Close() error {
	if c.close(cCatalog.free) {
		runtime.SetFinalizer(c, nil)
	}
	return nil
}

// AddTemplates adds (or reloads) a directory of templates; its flavors
// replace built-in ones of the same name. It returns every diagnostic
// (warnings too), and an *Error when a template had an error (the others
// are loaded) or the directory cannot be read. Reload reloads it later.
func (c *Catalog) AddTemplates(directory string) ([]Diagnostic, error) {
	var diagnostics []Diagnostic
	err := c.use(func(handle cCatalog) error {
		status, text := handle.addTemplates(directory)
		if err := json.Unmarshal(text, &diagnostics); err != nil {
			return fmt.Errorf("conversionrules: unreadable diagnostics %q: %w", text, err)
		}
		return templatesError(status, directory, diagnostics)
	})
	if err == nil || isTemplateError(err) {
		c.remember(directory)
	}
	return diagnostics, err
}

func (c *Catalog) remember(directory string) {
	c.directoriesLock.Lock()
	defer c.directoriesLock.Unlock()
	for _, known := range c.directories {
		if known == directory {
			return
		}
	}
	c.directories = append(c.directories, directory)
}

// Reload reads every directory added with AddTemplates again, as a gateway
// does on SIGHUP. It returns the diagnostics of all of them, and the first
// error.
func (c *Catalog) Reload() ([]Diagnostic, error) {
	c.directoriesLock.Lock()
	directories := append([]string(nil), c.directories...)
	c.directoriesLock.Unlock()
	var all []Diagnostic
	var first error
	for _, directory := range directories {
		diagnostics, err := c.AddTemplates(directory)
		all = append(all, diagnostics...)
		if first == nil {
			first = err
		}
	}
	return all, first
}

// templatesError turns a failed cr_catalog_add_templates into an *Error.
func templatesError(status int, directory string, diagnostics []Diagnostic) error {
	if status == statusOK {
		return nil
	}
	failure := &Error{Status: status, Kind: "template", File: directory}
	if status != statusError {
		failure.Kind = "unreadable"
	}
	var messages []string
	for _, diagnostic := range diagnostics {
		if diagnostic.Severity != "error" {
			continue
		}
		if len(messages) == 0 {
			failure.File, failure.Line, failure.Column = diagnostic.File, diagnostic.Line, diagnostic.Column
		}
		messages = append(messages, diagnostic.String())
	}
	failure.Message = strings.Join(messages, "\n")
	return failure
}

func isTemplateError(err error) bool {
	failure, ok := err.(*Error)
	return ok && failure.Kind == "template"
}

// AddPlugin loads a plugin directory (plugin.yaml or plugin.json and its
// templates/): the plugin becomes a flavor named after its provider.
func (c *Catalog) AddPlugin(directory string) error {
	return c.use(func(handle cCatalog) error { return handle.addPlugin(directory) })
}

// Rules lists the catalog's rules.
func (c *Catalog) Rules() ([]RuleInfo, error) {
	var rules []RuleInfo
	err := c.use(func(handle cCatalog) error {
		text := handle.list()
		if err := json.Unmarshal(text, &rules); err != nil {
			return fmt.Errorf("conversionrules: unreadable rule list: %w", err)
		}
		return nil
	})
	return rules, err
}

// Rule takes the compiled rule that a config_ref (FLAVOR:SERVICE, e.g.
// "ollama:chat") names. The rule stays valid after the catalog reloads
// (it keeps the version it was taken at) or closes; Close it when done.
func (c *Catalog) Rule(configRef string) (*Rule, error) {
	var rule *Rule
	err := c.use(func(handle cCatalog) error {
		taken, err := handle.rule(configRef)
		if err != nil {
			return err
		}
		rule = newRule(taken, RuleInfo{Rule: configRef})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if rules, err := c.Rules(); err == nil {
		for _, info := range rules {
			if info.Rule == configRef {
				rule.Info = info
			}
		}
	}
	return rule, nil
}

// ConvertTwoHop converts a request (client -> AOG -> provider) or a
// response (provider -> AOG -> client) in one call, as a gateway does.
// A drop returns ErrDropped.
func (c *Catalog) ConvertTwoHop(ctx context.Context, route TwoHop, kind Kind, in Content, variables map[string]any) (Content, error) {
	if err := ctx.Err(); err != nil {
		return Content{}, err
	}
	headers, vars, err := arguments(in.Header, variables)
	if err != nil {
		return Content{}, err
	}
	var result Content
	err = c.use(func(handle cCatalog) error {
		result, err = contentOf(handle.convertTwoHop(route, string(kind), headers, in.Body, vars))
		return err
	})
	return result, err
}

// OpenTwoHopStream opens a stream conversion from a provider flavor to a
// client flavor; header holds the upstream response's headers (their
// Content-Type selects SSE or NDJSON). Close the stream when done.
func (c *Catalog) OpenTwoHopStream(route TwoHop, header http.Header, variables map[string]any) (*Stream, error) {
	headers, vars, err := arguments(header, variables)
	if err != nil {
		return nil, err
	}
	var stream *Stream
	err = c.use(func(handle cCatalog) error {
		opened, err := handle.openTwoHopStream(route, headers, vars)
		if err == nil {
			stream = newStream(opened)
		}
		return err
	})
	return stream, err
}
