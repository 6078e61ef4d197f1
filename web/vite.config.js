// Vite config for the kefu web UI.
//
// Element Plus is imported per component: unplugin-vue-components resolves <el-*> tags in
// templates and unplugin-auto-import resolves ElMessage / ElMessageBox, each with its own CSS,
// so a page only loads the components it uses (the login page stays far under 400 KB gzipped).
//
// `npm run dev` proxies /api and /healthz to a running `kefu serve`
// (KEFU_API, default http://127.0.0.1:8080).
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import AutoImport from 'unplugin-auto-import/vite';
import Components from 'unplugin-vue-components/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';

const api = process.env.KEFU_API || 'http://127.0.0.1:8080';

export default defineConfig({
	base: '/',
	plugins: [
		vue(),
		AutoImport({
			resolvers: [ElementPlusResolver({ importStyle: 'css' })],
			dts: false,
		}),
		Components({
			resolvers: [ElementPlusResolver({ importStyle: 'css' })],
			dts: false,
		}),
	],
	build: {
		outDir: 'dist',
		assetsDir: 'assets',
		emptyOutDir: true,
		// One chunk per route is produced by the lazy routes; no source maps in the binary.
		sourcemap: false,
		chunkSizeWarningLimit: 800,
		rolldownOptions: {
			output: {
				// Shared Element Plus chunks would be named after their first module ("css"): call them "ep".
				chunkFileNames: (c) => `assets/${c.name === 'css' ? 'ep' : '[name]'}-[hash].js`,
				assetFileNames: (a) => `assets/${(a.names?.[0] || a.name || '').startsWith('css') ? 'ep' : '[name]'}-[hash][extname]`,
				codeSplitting: {
					groups: [
						// The framework every page needs, in one file.
						{ name: 'vue', test: /node_modules[\\/](@vue|vue|vue-router|pinia|vue-i18n|@intlify)[\\/]/, priority: 3 },
					],
				},
			},
		},
	},
	server: {
		port: 5173,
		proxy: {
			'/api': { target: api, changeOrigin: false },
			'/healthz': { target: api, changeOrigin: false },
		},
	},
	test: {
		include: ['tests/**/*.test.js'],
		environment: 'node',
	},
});
