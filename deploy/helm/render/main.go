// Command render renders a Helm chart's templates as `helm template` does, for the chart's tests on
// a machine without the helm binary: Go's text/template with sprig's functions and Helm's own few
// (include, tpl, toYaml, fromYaml, required, .Files.Get), Chart.yaml and values.yaml merged with -f
// files and --set pairs. It renders what the chart uses; it is not a full Helm.
//
//	render [-f values.yaml]... [--set a.b=c]... [--name release] [--namespace ns] CHART_DIR
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"gopkg.in/yaml.v3"
)

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

// files is .Files: the chart's own files, read by path relative to the chart.
type files struct{ root string }

func (f files) Get(name string) string {
	data, err := os.ReadFile(filepath.Join(f.root, name))
	if err != nil {
		return ""
	}
	return string(data)
}

func readYaml(path string) map[string]interface{} {
	out := map[string]interface{}{}
	data, err := os.ReadFile(path)
	if err != nil {
		fail("reading %s: %v", path, err)
	}
	if err := yaml.Unmarshal(data, &out); err != nil {
		fail("%s: %v", path, err)
	}
	return out
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "render: "+format+"\n", args...)
	os.Exit(1)
}

// merge puts src over dst, maps key by key (as Helm merges -f files over values.yaml).
func merge(dst, src map[string]interface{}) map[string]interface{} {
	for k, v := range src {
		if sm, ok := v.(map[string]interface{}); ok {
			if dm, ok := dst[k].(map[string]interface{}); ok {
				dst[k] = merge(dm, sm)
				continue
			}
		}
		dst[k] = v
	}
	return dst
}

// setValue applies one --set a.b.c=value (a number, true/false, null, or a string).
func setValue(values map[string]interface{}, pair string) {
	eq := strings.Index(pair, "=")
	if eq < 0 {
		fail("--set %s: expected key=value", pair)
	}
	keys := strings.Split(pair[:eq], ".")
	raw := pair[eq+1:]
	var value interface{} = raw
	if n, err := strconv.ParseInt(raw, 10, 64); err == nil {
		value = n
	} else if f, err := strconv.ParseFloat(raw, 64); err == nil {
		value = f
	} else if raw == "true" || raw == "false" {
		value = raw == "true"
	} else if raw == "null" {
		value = nil
	}
	at := values
	for _, k := range keys[:len(keys)-1] {
		next, ok := at[k].(map[string]interface{})
		if !ok {
			next = map[string]interface{}{}
			at[k] = next
		}
		at = next
	}
	at[keys[len(keys)-1]] = value
}

func toYaml(v interface{}) string {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return ""
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

func fromYaml(s string) map[string]interface{} {
	out := map[string]interface{}{}
	if err := yaml.Unmarshal([]byte(s), &out); err != nil {
		out["Error"] = err.Error()
	}
	return out
}

func main() {
	var valueFiles, sets multi
	flag.Var(&valueFiles, "f", "a values file over the chart's values.yaml (repeatable)")
	flag.Var(&sets, "set", "key=value over the values (repeatable)")
	name := flag.String("name", "tradai", "the release name")
	namespace := flag.String("namespace", "default", "the release namespace")
	flag.Parse()
	if flag.NArg() != 1 {
		fail("usage: render [-f values.yaml]... [--set k=v]... CHART_DIR")
	}
	chartDir := flag.Arg(0)
	chart := readYaml(filepath.Join(chartDir, "Chart.yaml"))
	values := readYaml(filepath.Join(chartDir, "values.yaml"))
	for _, f := range valueFiles {
		values = merge(values, readYaml(f))
	}
	for _, s := range sets {
		setValue(values, s)
	}

	root := template.New("chart")
	funcs := sprig.TxtFuncMap()
	funcs["toYaml"] = toYaml
	funcs["fromYaml"] = fromYaml
	funcs["required"] = func(msg string, v interface{}) (interface{}, error) {
		if v == nil || v == "" {
			return nil, fmt.Errorf("%s", msg)
		}
		return v, nil
	}
	funcs["include"] = func(name string, data interface{}) (string, error) {
		var buf bytes.Buffer
		err := root.ExecuteTemplate(&buf, name, data)
		return buf.String(), err
	}
	funcs["tpl"] = func(text string, data interface{}) (string, error) {
		t, err := root.Clone()
		if err != nil {
			return "", err
		}
		t, err = t.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		err = t.Execute(&buf, data)
		return buf.String(), err
	}
	root.Funcs(funcs).Option("missingkey=zero")

	chartName, _ := chart["name"].(string)
	paths, _ := filepath.Glob(filepath.Join(chartDir, "templates", "*"))
	sort.Strings(paths)
	// Named as Helm names them: <chart>/templates/<file>.
	var rendered []string
	for _, p := range paths {
		text, err := os.ReadFile(p)
		if err != nil {
			fail("%v", err)
		}
		name := chartName + "/templates/" + filepath.Base(p)
		if _, err := root.New(name).Parse(string(text)); err != nil {
			fail("%v", err)
		}
		if !strings.HasPrefix(filepath.Base(p), "_") && strings.HasSuffix(p, ".yaml") {
			rendered = append(rendered, name)
		}
	}
	data := map[string]interface{}{
		"Values": values,
		"Release": map[string]interface{}{
			"Name": *name, "Namespace": *namespace, "Service": "Helm", "IsInstall": true, "IsUpgrade": false, "Revision": 1,
		},
		"Chart": map[string]interface{}{
			"Name": chartName, "Version": chart["version"], "AppVersion": chart["appVersion"],
		},
		"Capabilities": map[string]interface{}{"KubeVersion": map[string]interface{}{"Version": "v1.30.0"}},
		"Files":        files{root: chartDir},
	}
	for _, t := range rendered {
		data["Template"] = map[string]interface{}{"Name": t, "BasePath": chartName + "/templates"}
		var buf bytes.Buffer
		if err := root.ExecuteTemplate(&buf, t, data); err != nil {
			fail("%v", err)
		}
		// As Helm: a missing value prints nothing, not "<no value>".
		if out := strings.TrimSpace(strings.ReplaceAll(buf.String(), "<no value>", "")); out != "" {
			fmt.Printf("---\n# Source: %s\n%s\n", t, out)
		}
	}
}
