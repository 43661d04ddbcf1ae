package locale

import "testing"

func TestFix(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want map[string]string
	}{
		{map[string]string{}, map[string]string{"LANG": "en_US.UTF-8"}},
		{map[string]string{"LANG": "C"}, map[string]string{"LANG": "en_US.UTF-8"}},
		{map[string]string{"LANG": "C.UTF-8"}, map[string]string{"LANG": "en_US.UTF-8"}},
		{map[string]string{"LC_ALL": "POSIX", "LANG": "es_MX.UTF-8"}, map[string]string{"LANG": "es_MX.UTF-8"}},
		{map[string]string{"LANG": "vi_VN.UTF-8"}, map[string]string{"LANG": "vi_VN.UTF-8"}},
	}
	for _, tt := range tests {
		env := map[string]string{}
		for k, v := range tt.env {
			env[k] = v
		}
		Fix(func(k string) string { return env[k] },
			func(k, v string) error { env[k] = v; return nil },
			func(k string) error { delete(env, k); return nil })
		if len(env) != len(tt.want) {
			t.Errorf("%v -> %v; want %v", tt.env, env, tt.want)
		}
		for k, v := range tt.want {
			if env[k] != v {
				t.Errorf("%v -> %v; want %v", tt.env, env, tt.want)
			}
		}
	}
}
